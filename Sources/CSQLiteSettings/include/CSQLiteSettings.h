#ifndef CSQLITE_SETTINGS_H
#define CSQLITE_SETTINGS_H

/// Turns off SQLite's memory statistics for the process (SQLITE_CONFIG_MEMSTATUS = 0), so that
/// no allocation by SQLite takes the global statistics mutex. Must run before SQLite is
/// initialised (before the first connection opens); returns SQLite's result code
/// (SQLITE_MISUSE once SQLite is already initialised, and nothing changes then).
int credit_sqlite_disable_memstatus(void);

#endif
