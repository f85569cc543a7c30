#include <sqlite3.h>

/// Turns off SQLite's memory statistics before the library initialises: they take a global mutex on every
/// allocation, which on a bulk import costs more than the allocation itself. Returns SQLITE_MISUSE (harmless)
/// if SQLite is already initialised.
static inline int cobro_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
