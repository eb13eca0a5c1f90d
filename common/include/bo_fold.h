#ifndef BO_FOLD_H
#define BO_FOLD_H
/* Search keys: UTF-8 text folded so that "Zoë", "zoe" and "ZOE" are the same key (GET /orders?name=,
 * ?email=; the backend stores the folded forms in the orders' lookup indexes, store_lookup.c).
 *
 * Folding = case folding + accent stripping (compatibility decomposition without the combining marks)
 * for Latin (Latin-1 Supplement, Extended-A/B, Extended Additional), Greek (with polytonic) and Cyrillic,
 * plus letters that do not decompose: ß -> ss, æ -> ae, œ -> oe, ø -> o, ł -> l, đ/ð -> d, þ -> th, ...;
 * ligatures (ﬁ -> fi) and full-width forms (Ａ -> a) are spelled out. Other scripts are kept as they are.
 * The table is generated (scripts/gen-fold-table.py -> common/src/bo_fold_table.h).
 *
 *   name:   letters/digits folded; every run of anything else (spaces, punctuation, symbols, controls,
 *           invalid UTF-8 bytes) is one space; no space at either end. "  O'Brien-Smith " -> "o brien smith"
 *   e-mail: letters folded; other characters kept, except controls and format characters such as zero-width
 *           spaces (dropped), combining marks (dropped) and invalid UTF-8 bytes
 *           (dropped); ASCII white space trimmed at both ends. "Zoë.M@Example.COM" -> "zoe.m@example.com"
 * Both are idempotent (fold(fold(x)) == fold(x)) and always valid UTF-8 without control characters.
 * Pure: no I/O, no locale. */
#include <stddef.h>

/* Newly allocated folded text (caller frees), NULL only when out of memory. s may be NULL (then ""). */
char *bo_fold_name(const char *s);
char *bo_fold_email(const char *s);

/* Bytes of the first n code points of valid UTF-8 text s (all of s when it has fewer). */
size_t bo_fold_head_len(const char *s, size_t n);

#endif
