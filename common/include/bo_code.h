#ifndef BO_CODE_H
#define BO_CODE_H
/* Ticket codes: what the door types or scans to let a ticket in. Shared by the backend (issues them),
 * the client (prints them, as text and QR) and the door (reads them back).
 *
 * A code is 20 symbols of Crockford's base32 alphabet (0-9 and A-Z without I, L, O, U): 100 bits, all
 * from the kernel's CSPRNG (getrandom), never derived from an id. Its one canonical form, stored and
 * returned by the API, is upper case in four groups of five joined by '-':
 *
 *     ABCDE-FGHJK-MNPQR-STVWX      (BO_CODE_LEN = 23 characters)
 *
 * Input is forgiving, as Crockford's decoding is: lower case, no dashes or any '-'/' ' grouping, and the
 * look-alikes O/o read as 0 and I/i/L/l read as 1. U and any other character are refused.
 * A code is a bearer secret: never log it in full (bo_code_redact keeps its first 4 symbols). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BO_CODE_SYMBOLS 20
#define BO_CODE_LEN 23                   /* canonical form, dashes included */
#define BO_CODE_BUF (BO_CODE_LEN + 1)
#define BO_CODE_BITS (BO_CODE_SYMBOLS * 5)
#define BO_CODE_REDACT_BUF 16            /* "ABCD…" */

/* The alphabet, in value order: "0123456789ABCDEFGHJKMNPQRSTVWXYZ". */
extern const char bo_code_alphabet[33];

/* A fresh code from getrandom into out (canonical form). 0, or -1 when the kernel gave no randomness
 * (out is then ""). Never falls back to a weaker source. */
int bo_code_new(char out[BO_CODE_BUF]);

/* The code whose 100 bits are the first 100 bits of bytes[0..13) (big-endian), canonical form.
 * bo_code_new uses it; tests use it for known answers. */
void bo_code_from_bytes(const uint8_t bytes[13], char out[BO_CODE_BUF]);

/* Reads a typed or scanned code (see above) into its canonical form. 0, or -1 when text is not a code
 * (NULL, wrong length, a character outside the alphabet); out is then "". */
int bo_code_parse(const char *text, char out[BO_CODE_BUF]);

/* True when text reads as a code (bo_code_parse) and could as well be a person's name: letters and spaces
 * only, no digit and no '-' ("Maximilian Rothenberg" is 20 letters of the alphabet). A search then asks
 * for both. False for text that is not a code, and for a code holding a digit or a '-' (a code without a
 * digit is rare: (22/32)^20, under 0.1%; its grouped form has the dashes). */
bool bo_code_reads_as_name(const char *text);

/* What may be logged of a code: its first 4 symbols and "…" ("ABCD…"); "" for NULL. */
void bo_code_redact(const char *code, char out[BO_CODE_REDACT_BUF]);

#endif
