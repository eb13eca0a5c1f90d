/* libFuzzer target: the client's sign-in parsing (src/auth.c): the payload decode of an ID token
 * (auth_jwt_identity: three dot-separated parts, the middle one base64url JSON) and Cognito's answers
 * (auth_parse_answer). Whatever the input, the identity holds only sanitised text (valid UTF-8, no control
 * characters: it is shown on a terminal), fields stay NUL-terminated, a refusal leaves nothing behind, and
 * an answer is either tokens, a challenge with its session, or an error with nothing to free. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "bo_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_jwt: property failed: %s (line %d)\n", #cond, __LINE__);                 \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

static void check_field(const char *s, size_t cap)
{
    CHECK(memchr(s, '\0', cap) != NULL);
    CHECK(bo_utf8_valid(s, strlen(s)));
    CHECK(!bo_text_has_control(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    auth_identity id;
    char err[256];
    err[0] = '\0';
    if (auth_jwt_identity(text, &id, err, sizeof err) == 0) {
        check_field(id.sub, sizeof id.sub);
        CHECK(id.sub[0] != '\0');
        check_field(id.name, sizeof id.name);
        check_field(id.email_masked, sizeof id.email_masked);
        check_field(id.groups, sizeof id.groups);
        check_field(id.token_use, sizeof id.token_use);
        CHECK(id.exp >= 0);
    } else {
        CHECK(err[0] != '\0');
        CHECK(id.sub[0] == '\0' && id.name[0] == '\0' && id.groups[0] == '\0');
    }
    check_field(err, sizeof err);

    /* the same bytes as a Cognito answer: an error status when it names an error type, else 200 */
    long status = strstr(text, "__type") != NULL ? 400 : 200;
    auth_answer a;
    err[0] = '\0';
    auth_status st = auth_parse_answer(status, text, size, &a, err, sizeof err);
    if (st == AUTH_OK) {
        CHECK(status == 200 && a.id_token != NULL && a.session == NULL && !a.new_password);
    } else if (st == AUTH_NEW_PASSWORD) {
        CHECK(status == 200 && a.session != NULL && a.new_password && a.id_token == NULL);
    } else {
        CHECK(a.id_token == NULL && a.refresh_token == NULL && a.session == NULL);
        CHECK(err[0] != '\0');
    }
    check_field(err, sizeof err);
    auth_answer_clear(&a);
    free(text);
    return 0;
}
