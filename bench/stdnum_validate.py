#!/usr/bin/env python3
"""Validate one code per line with python-stdnum, the reference point of bench/codes.sh.

Scheme by shape, as stdnum has no detector: 18 characters whose first 17 are digits are tried
as a resident ID (stdnum.cn.ric) and then as a USCC; any other line as a USCC
(stdnum.cn.uscc). Prints the number of lines and of valid codes.
"""
import sys

from stdnum.cn import ric, uscc


def ric_valid(number):
    try:
        return ric.is_valid(number)
    except Exception:  # stdnum 2.2: KeyError from get_birth_place for some address codes
        return False


def main():
    total = valid = 0
    for line in sys.stdin:
        code = line.strip()
        if not code:
            continue
        total += 1
        compact = uscc.compact(code)
        if len(compact) == 18 and compact[:17].isdigit() and ric_valid(compact):
            valid += 1
        elif uscc.is_valid(compact):
            valid += 1
    print(f"{total} lines, {valid} valid")


if __name__ == "__main__":
    main()
