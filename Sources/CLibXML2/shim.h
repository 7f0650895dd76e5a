#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; exposing its ICU types next to Foundation's defines
// UErrorCode twice in debug builds. Include the version header first and drop the flag.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/encoding.h>


/// `xmlFree` is a global function pointer, which Swift 6 treats as unsafe shared state.
static inline void clibxml2_free(void *p) { xmlFree(p); }

#endif
