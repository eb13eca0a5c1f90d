/* src/auth.c without a network: the ID token's payload decode (good and bad tokens), the parsing of
 * Cognito's answers (tokens, the new-password challenge, refusals, garbage), and the token file (0600,
 * read back, a bad one leaves the session signed out, logout removes it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "bo_base64.h"

/* base64url without padding of text */
static char *b64url(const char *text)
{
    char *s = bo_base64_encode(text, strlen(text));
    assert_non_null(s);
    for (char *p = s; *p != '\0'; p++) {
        if (*p == '+') *p = '-';
        else if (*p == '/') *p = '_';
        else if (*p == '=') { *p = '\0'; break; }
    }
    return s;
}

/* "header.payload.sig" with payload the base64url of json */
static char *jwt(const char *json)
{
    char *h = b64url("{\"alg\":\"RS256\",\"kid\":\"CognitoLocal\"}"), *p = b64url(json);
    size_t n = strlen(h) + strlen(p) + 8;
    char *t = malloc(n);
    assert_non_null(t);
    snprintf(t, n, "%s.%s.sig", h, p);
    free(h);
    free(p);
    return t;
}

static void decodes_an_id_token(void **state)
{
    (void)state;
    char *t = jwt("{\"sub\":\"1f7b-uuid\",\"email\":\"manager@boxoffice.local\",\"name\":\"Ana \\u001b[31mRed\","
                  "\"cognito:groups\":[\"manager\",\"cashier\"],\"token_use\":\"id\",\"exp\":1796763702}");
    auth_identity id;
    char err[128] = "";
    assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), 0);
    assert_string_equal(id.sub, "1f7b-uuid");
    assert_null(strchr(id.name, '\x1b'));            /* sanitised for the terminal */
    assert_non_null(strstr(id.name, "Ana"));
    assert_string_equal(id.email_masked, "ma\xE2\x80\xA6@boxoffice.local");
    assert_string_equal(id.groups, "manager,cashier");
    assert_string_equal(id.token_use, "id");
    assert_int_equal(id.exp, 1796763702LL);
    free(t);
    /* no name: the e-mail's local part, masked; groups as API Gateway's comma-joined string */
    t = jwt("{\"sub\":\"s\",\"email\":\"door@example.org\",\"cognito:groups\":\"door,kiosk\"}");
    assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), 0);
    assert_string_equal(id.name, "do\xE2\x80\xA6");
    assert_string_equal(id.groups, "door,kiosk");
    assert_int_equal(id.exp, 0);
    free(t);
    /* no name but custom:display_name (cognito-local's ID tokens): that one, sanitised; `name` wins when both are */
    t = jwt("{\"sub\":\"s\",\"email\":\"nina@example.org\",\"custom:display_name\":\"Nina\\u0007\"}");
    assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), 0);
    assert_string_equal(id.name, "Nina");
    free(t);
    t = jwt("{\"sub\":\"s\",\"name\":\"\",\"custom:display_name\":\"Nina\"}");
    assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), 0);
    assert_string_equal(id.name, "Nina");
    free(t);
    t = jwt("{\"sub\":\"s\",\"name\":\"Ana\",\"custom:display_name\":\"Nina\"}");
    assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), 0);
    assert_string_equal(id.name, "Ana");
    free(t);
}

static void refuses_bad_tokens(void **state)
{
    (void)state;
    static const char *const bad_json[] = {
        "{\"email\":\"a@b\"}",                                   /* no sub */
        "{\"sub\":\"\"}",                                        /* empty sub */
        "{\"sub\":7}",                                           /* sub not a string */
        "[\"sub\"]",                                             /* not an object */
        "{\"sub\":\"s\",\"cognito:groups\":[\"a\",7]}",          /* a group not a string */
        "{\"sub\":\"s\",\"cognito:groups\":[\"a,b\"]}",          /* a group with the separator */
        "{\"sub\":\"s\",\"cognito:groups\":{}}",
        "{\"sub\":\"s\",\"exp\":\"tomorrow\"}",
        "{\"sub\":\"s\",\"exp\":-5}",
        "{\"sub\":\"s\",\"name\":[]}",
        "{\"sub\":\"s\",\"custom:display_name\":7}",
        "{\"sub\":\"s\"",                                        /* truncated */
    };
    auth_identity id;
    char err[128];
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        char *t = jwt(bad_json[i]);
        err[0] = '\0';
        assert_int_equal(auth_jwt_identity(t, &id, err, sizeof err), -1);
        assert_true(err[0] != '\0');
        assert_string_equal(id.sub, "");
        free(t);
    }
    static const char *const bad_shape[] = {
        "", "abc", "a.b", "a.b.c.d", ".e30.", "a..c", "a.e30=.c" /* padding is not base64url */,
        "a.e3+0.c", "a.e\n30.c", "a.AAAA.c" /* NUL bytes */, "a.Z.c" /* one char: no byte */,
    };
    for (size_t i = 0; i < sizeof bad_shape / sizeof bad_shape[0]; i++) {
        err[0] = '\0';
        assert_int_equal(auth_jwt_identity(bad_shape[i], &id, err, sizeof err), -1);
        assert_true(err[0] != '\0');
    }
    assert_int_equal(auth_jwt_identity(NULL, &id, err, sizeof err), -1);
    char *huge = malloc(AUTH_TOKEN_MAX + 10);
    assert_non_null(huge);
    memset(huge, 'a', AUTH_TOKEN_MAX + 9);
    huge[1] = '.';
    huge[5] = '.';
    huge[AUTH_TOKEN_MAX + 9] = '\0';
    assert_int_equal(auth_jwt_identity(huge, &id, err, sizeof err), -1);
    assert_non_null(strstr(err, "too long"));
    free(huge);
}

static auth_status parse(long status, const char *body, auth_answer *a, char *err, size_t cap)
{
    return auth_parse_answer(status, body, strlen(body), a, err, cap);
}

static void parses_cognito_answers(void **state)
{
    (void)state;
    auth_answer a;
    char err[256];
    assert_int_equal(parse(200, "{\"AuthenticationResult\":{\"IdToken\":\"i.d.t\",\"AccessToken\":\"x\","
                                "\"RefreshToken\":\"r-1\",\"ExpiresIn\":86400},\"ChallengeParameters\":{}}",
                           &a, err, sizeof err), AUTH_OK);
    assert_string_equal(a.id_token, "i.d.t");
    assert_string_equal(a.refresh_token, "r-1");
    assert_int_equal(a.expires_in, 86400);
    assert_null(a.session);
    auth_answer_clear(&a);
    /* a refresh answers without a refresh token */
    assert_int_equal(parse(200, "{\"AuthenticationResult\":{\"IdToken\":\"i.d.t\"}}", &a, err, sizeof err), AUTH_OK);
    assert_null(a.refresh_token);
    auth_answer_clear(&a);
    assert_int_equal(parse(200, "{\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Session\":\"sess\","
                                "\"ChallengeParameters\":{}}", &a, err, sizeof err), AUTH_NEW_PASSWORD);
    assert_true(a.new_password);
    assert_string_equal(a.session, "sess");
    auth_answer_clear(&a);
    assert_int_equal(parse(400, "{\"__type\":\"NotAuthorizedException\",\"message\":\"Incorrect username or password.\"}",
                           &a, err, sizeof err), AUTH_REFUSED);
    assert_non_null(strstr(err, "sign-in refused"));
    assert_null(a.id_token);
    assert_int_equal(parse(400, "{\"__type\":\"com.amazonaws#UserNotFoundException\",\"message\":\"User does not exist.\"}",
                           &a, err, sizeof err), AUTH_REFUSED);
    assert_int_equal(parse(400, "{\"__type\":\"InvalidPasswordException\",\"message\":\"Password too short\"}",
                           &a, err, sizeof err), AUTH_BAD_PASSWORD);
    assert_non_null(strstr(err, "Password too short"));
    assert_int_equal(parse(400, "{\"__type\":\"TooManyRequestsException\",\"message\":\"slow \\u001b[2J down\"}",
                           &a, err, sizeof err), AUTH_PROTOCOL);
    assert_null(strchr(err, '\x1b'));
    /* garbage and wrong shapes */
    static const char *const bad[] = {
        "", "not json", "[]", "{}", "{\"AuthenticationResult\":{}}",
        "{\"AuthenticationResult\":{\"IdToken\":\"has space\"}}",
        "{\"AuthenticationResult\":{\"IdToken\":\"t\",\"ExpiresIn\":\"soon\"}}",
        "{\"AuthenticationResult\":\"x\"}",
        "{\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\"}",                 /* no session */
        "{\"ChallengeName\":\"SMS_MFA\",\"Session\":\"s\"}",               /* a challenge we do not answer */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(parse(200, bad[i], &a, err, sizeof err), AUTH_PROTOCOL);
        assert_true(err[0] != '\0');
        assert_null(a.id_token);
        assert_null(a.session);
    }
    assert_int_equal(parse(500, "<html>", &a, err, sizeof err), AUTH_PROTOCOL);
    assert_non_null(strstr(err, "HTTP 500"));
}

static void token_file_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-auth.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], body[4096];
    snprintf(path, sizeof path, "%s/boxoffice/session", dir);
    /* a remembered session: its ID token (valid far into the future) is used as is, no network */
    char *t = jwt("{\"sub\":\"s-1\",\"email\":\"ana@example.org\",\"name\":\"Ana\",\"exp\":4102444800}");
    snprintf(body, sizeof body, "%s/boxoffice", dir);
    assert_int_equal(mkdir(body, 0700), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "{\"idToken\":\"%s\",\"refreshToken\":\"r\"}", t);
    fclose(f);
    auth_config cfg = { .cognito_url = "http://127.0.0.1:1", .client_id = "c", .token_file = path };
    char err[256] = "";
    auth_session *s = auth_session_new(&cfg, err, sizeof err);
    assert_non_null(s);
    assert_string_equal(err, "");
    assert_true(auth_can_sign_in(s));
    char tok[AUTH_TOKEN_MAX + 1];
    assert_int_equal(auth_token(s, tok, sizeof tok, err, sizeof err), AUTH_OK);
    assert_string_equal(tok, t);
    auth_identity id;
    assert_true(auth_identity_get(s, &id));
    assert_string_equal(id.name, "Ana");
    /* written back 0600 */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(auth_remember(s, err, sizeof err), AUTH_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* logout forgets it all and removes the file */
    assert_int_equal(auth_signout(s, err, sizeof err), 0);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_false(auth_can_sign_in(s));
    assert_int_equal(auth_token(s, tok, sizeof tok, err, sizeof err), AUTH_NOT_SIGNED_IN);
    assert_non_null(strstr(err, "boxoffice login"));
    auth_session_free(s);
    /* a damaged file: the session starts signed out and says why */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"idToken\": 12}", f);
    fclose(f);
    err[0] = '\0';
    s = auth_session_new(&cfg, err, sizeof err);
    assert_non_null(s);
    assert_non_null(strstr(err, "not a boxoffice session"));
    assert_false(auth_can_sign_in(s));
    auth_session_free(s);
    /* a fixed token: given as is, never refreshed */
    s = auth_session_with_token(t);
    assert_non_null(s);
    assert_int_equal(auth_token(s, tok, sizeof tok, err, sizeof err), AUTH_OK);
    assert_string_equal(tok, t);
    assert_int_equal(auth_refresh(s, err, sizeof err), AUTH_NOT_SIGNED_IN);
    assert_null(auth_session_with_token("has space"));
    auth_session_free(s);
    free(t);
    unlink(path);
    snprintf(body, sizeof body, "%s/boxoffice", dir);
    rmdir(body);
    rmdir(dir);
}

static void unconfigured_sign_in_says_so(void **state)
{
    (void)state;
    auth_config cfg = { .user = "ana@example.org", .password = "pw" };
    char err[256] = "", tok[64];
    auth_session *s = auth_session_new(&cfg, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(auth_token(s, tok, sizeof tok, err, sizeof err), AUTH_NOT_CONFIGURED);
    assert_non_null(strstr(err, "BOXOFFICE_COGNITO_URL"));
    assert_int_equal(auth_signin(s, "", "x", err, sizeof err), AUTH_REFUSED);
    assert_int_equal(auth_signin(s, "a@b", "pw\x1b", err, sizeof err), AUTH_REFUSED);
    assert_int_equal(auth_respond_new_password(s, "new", err, sizeof err), AUTH_NOT_SIGNED_IN);
    auth_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_an_id_token),
        cmocka_unit_test(refuses_bad_tokens),
        cmocka_unit_test(parses_cognito_answers),
        cmocka_unit_test(token_file_round_trip),
        cmocka_unit_test(unconfigured_sign_in_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
