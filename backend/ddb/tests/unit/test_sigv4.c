/* The DynamoDB client's requests are signed correctly (AWS Signature Version 4).
 * DynamoDB Local never checks signatures, so a local server captures real signed requests from the
 * client (libcurl's CURLOPT_AWS_SIGV4) and the test recomputes the signature on its own:
 * canonical request -> string to sign -> HMAC-SHA256 key chain -> compare with Authorization. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddb.h"
#include "ddb_fake.h"
#include "ddb_sha256.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "IQoJb3JpZ2luX2VjEFAaCXVzLWVhc3QtMSJHMEUCIQD+token/with+base64==chars"
#define REGION "eu-central-1"

static void hex_of(const char *text, size_t len, char out[65])
{
    uint8_t d[32];
    ddb_sha256(text, len, d);
    ddb_hex(d, 32, out);
}

static void test_sha256_matches_published_vectors(void **state)
{
    (void)state;
    char hex[65];
    hex_of("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    uint8_t mac[32];
    ddb_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac); /* RFC 4231 case 2 */
    ddb_hex(mac, 32, hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First"; /* RFC 4231 case 6 */
    ddb_hmac_sha256(key, sizeof key, d6, strlen(d6), mac);
    ddb_hex(mac, 32, hex);
    assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
static void signing_key(const char *secret, const char *date, const char *region, const char *service,
                        uint8_t out[32])
{
    char k0[300];
    snprintf(k0, sizeof k0, "AWS4%s", secret);
    uint8_t a[32], b[32];
    ddb_hmac_sha256(k0, strlen(k0), date, strlen(date), a);
    ddb_hmac_sha256(a, 32, region, strlen(region), b);
    ddb_hmac_sha256(b, 32, service, strlen(service), a);
    ddb_hmac_sha256(a, 32, "aws4_request", 12, out);
}

static void test_signing_key_matches_aws_documentation_example(void **state)
{
    (void)state;
    uint8_t k[32];
    char hex[65];
    signing_key(SECRET, "20120215", "us-east-1", "iam", k);
    ddb_hex(k, 32, hex);
    assert_string_equal(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

/* ---- the independent verifier ---------------------------------------------------------------- */

typedef struct parsed_auth {
    char credential[256];   /* AKID/date/region/service/aws4_request */
    char signed_headers[512];
    char signature[65];
} parsed_auth;

static int parse_auth(const char *auth, parsed_auth *out)
{
    memset(out, 0, sizeof *out);
    const char *prefix = "AWS4-HMAC-SHA256 ";
    if (strncmp(auth, prefix, strlen(prefix)) != 0)
        return -1;
    const char *c = strstr(auth, "Credential="), *h = strstr(auth, "SignedHeaders="), *s = strstr(auth, "Signature=");
    if (!c || !h || !s)
        return -1;
    c += 11;
    h += 14;
    s += 10;
    size_t cn = strcspn(c, ", "), hn = strcspn(h, ", "), sn = strcspn(s, ", ");
    if (cn >= sizeof out->credential || hn >= sizeof out->signed_headers || sn != 64)
        return -1;
    memcpy(out->credential, c, cn);
    memcpy(out->signed_headers, h, hn);
    memcpy(out->signature, s, sn);
    return 0;
}

/* Canonical header value: all values of that name joined by ',', each trimmed, inner runs of
 * blanks folded to one space. Returns 0 when the header was sent. */
static int canonical_value(const ddb_fake_request *r, const char *name, char *out, size_t size)
{
    size_t o = 0;
    int found = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_headers; i++) {
        if (strcasecmp(r->names[i], name) != 0)
            continue;
        if (found && o + 1 < size)
            out[o++] = ',';
        found = 1;
        const char *v = r->values[i];
        while (*v == ' ' || *v == '\t')
            v++;
        int space = 0;
        for (; *v; v++) {
            if (*v == ' ' || *v == '\t') {
                space = 1;
                continue;
            }
            if (space && o + 1 < size)
                out[o++] = ' ';
            space = 0;
            if (o + 1 < size)
                out[o++] = *v;
        }
    }
    out[o] = '\0';
    return found ? 0 : -1;
}

/* Recomputes the signature of r (with body/body_len, so a test can tamper with them) and
 * compares it with the Authorization header. 0 = valid; otherwise why says what differs. */
static int verify(const ddb_fake_request *r, const char *body, size_t body_len, const char *secret, char *why,
                  size_t whylen)
{
    const char *auth = ddb_fake_header(r, "Authorization");
    const char *amz_date = ddb_fake_header(r, "X-Amz-Date");
    parsed_auth pa;
    if (!auth || !amz_date || parse_auth(auth, &pa) != 0) {
        snprintf(why, whylen, "no parsable Authorization / X-Amz-Date");
        return -1;
    }
    char akid[128], date[16], region[64], service[64], term[32];
    if (sscanf(pa.credential, "%127[^/]/%15[^/]/%63[^/]/%63[^/]/%31s", akid, date, region, service, term) != 5) {
        snprintf(why, whylen, "bad credential scope %s", pa.credential);
        return -1;
    }
    if (strlen(amz_date) != 16 || strncmp(amz_date, date, 8) != 0) {
        snprintf(why, whylen, "scope date %s does not match X-Amz-Date %s", date, amz_date);
        return -1;
    }

    /* canonical request */
    static char canon[16384];
    size_t n = (size_t)snprintf(canon, sizeof canon, "%s\n%s\n%s\n", r->method, r->path, "");
    char names[512];
    snprintf(names, sizeof names, "%s", pa.signed_headers);
    char *save = NULL;
    for (char *name = strtok_r(names, ";", &save); name; name = strtok_r(NULL, ";", &save)) {
        for (char *p = name; *p; p++)
            if (isupper((unsigned char)*p)) {
                snprintf(why, whylen, "signed header %s is not lower-case", name);
                return -1;
            }
        char value[4096];
        if (canonical_value(r, name, value, sizeof value) != 0) {
            snprintf(why, whylen, "signed header %s was not sent", name);
            return -1;
        }
        n += (size_t)snprintf(canon + n, sizeof canon - n, "%s:%s\n", name, value);
    }
    char body_hex[65];
    hex_of(body, body_len, body_hex);
    n += (size_t)snprintf(canon + n, sizeof canon - n, "\n%s\n%s", pa.signed_headers, body_hex);
    if (n >= sizeof canon) {
        snprintf(why, whylen, "canonical request too long");
        return -1;
    }

    char canon_hex[65], to_sign[512];
    hex_of(canon, n, canon_hex);
    snprintf(to_sign, sizeof to_sign, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/%s\n%s", amz_date, date, region, service, term,
             canon_hex);
    uint8_t key[32], sig[32];
    char sig_hex[65];
    signing_key(secret, date, region, service, key);
    ddb_hmac_sha256(key, 32, to_sign, strlen(to_sign), sig);
    ddb_hex(sig, 32, sig_hex);
    if (strcmp(sig_hex, pa.signature) != 0) {
        snprintf(why, whylen, "signature mismatch: computed %s, header %s", sig_hex, pa.signature);
        return -1;
    }
    return 0;
}

/* ---- capturing real requests ----------------------------------------------------------------- */

static void set_env(const char *endpoint, const char *token)
{
    setenv("AWS_ACCESS_KEY_ID", AKID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    if (token)
        setenv("AWS_SESSION_TOKEN", token, 1);
    else
        unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_REGION", REGION, 1);
    unsetenv("AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint, 1);
}

static cJSON *put_request(const char *name)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", "concert-ticket-system-concerts-dev");
    cJSON *item = cJSON_AddObjectToObject(req, "Item");
    cJSON *id = cJSON_AddObjectToObject(item, "id");
    cJSON_AddStringToObject(id, "S", "5f0c7c5e-1d1b-4d4e-9a39-4f8f4e5f6a7b");
    cJSON *nm = cJSON_AddObjectToObject(item, "name");
    cJSON_AddStringToObject(nm, "S", name);
    cJSON *price = cJSON_AddObjectToObject(item, "ticketPrice");
    cJSON_AddStringToObject(price, "N", "49.99");
    return req;
}

/* Sends req as op through a client configured from the environment to a capturing server and
 * returns a copy of what the server received (caller frees body). */
static ddb_fake_request capture(const char *op, const cJSON *req, const char *token)
{
    static const ddb_fake_reply ok = {200, "{}", 0, 0, NULL};
    ddb_fake *f = ddb_fake_start(&ok, 1);
    assert_non_null(f);
    set_env(ddb_fake_url(f), token);
    ddb_error err;
    ddb_client *c = ddb_client_new_from_env(&err);
    assert_non_null(c);
    cJSON *resp = NULL;
    ddb_status st = ddb_call(c, op, req, &resp, &err);
    if (st != DDB_OK)
        fail_msg("ddb_call: %s %s", ddb_status_name(st), err.message);
    cJSON_Delete(resp);
    ddb_client_free(c);
    assert_int_equal(ddb_fake_count(f), 1);
    ddb_fake_request copy = *ddb_fake_request_at(f, 0);
    copy.body = malloc(copy.body_len + 1);
    assert_non_null(copy.body);
    memcpy(copy.body, ddb_fake_request_at(f, 0)->body, copy.body_len + 1);
    ddb_fake_stop(f);
    return copy;
}

static int signed_list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ';') && (p[n] == ';' || p[n] == '\0'))
            return 1;
    return 0;
}

static void test_put_item_with_session_token_is_signed_correctly(void **state)
{
    (void)state;
    cJSON *req = put_request("Ode an die Freude \xc3\xa9\xe2\x82\xac"); /* UTF-8 in the body */
    ddb_fake_request r = capture("PutItem", req, TOKEN);

    assert_string_equal(r.method, "POST");
    assert_string_equal(r.path, "/");
    assert_string_equal(ddb_fake_header(&r, "X-Amz-Target"), "DynamoDB_20120810.PutItem");
    assert_string_equal(ddb_fake_header(&r, "Content-Type"), "application/x-amz-json-1.0");
    assert_string_equal(ddb_fake_header(&r, "X-Amz-Security-Token"), TOKEN);
    /* the body is the request, unchanged */
    cJSON *sent = cJSON_ParseWithLength(r.body, r.body_len);
    assert_true(cJSON_Compare(sent, req, 1));
    cJSON_Delete(sent);

    char why[512] = "";
    if (verify(&r, r.body, r.body_len, SECRET, why, sizeof why) != 0)
        fail_msg("%s", why);

    parsed_auth pa;
    assert_int_equal(parse_auth(ddb_fake_header(&r, "Authorization"), &pa), 0);
    char scope_tail[128];
    snprintf(scope_tail, sizeof scope_tail, "/%s/dynamodb/aws4_request", REGION);
    assert_true(strncmp(pa.credential, AKID "/", strlen(AKID) + 1) == 0);
    assert_non_null(strstr(pa.credential, scope_tail));
    const char *required[] = {"content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!signed_list_has(pa.signed_headers, required[i]))
            fail_msg("%s not in SignedHeaders %s", required[i], pa.signed_headers);
    assert_false(signed_list_has(pa.signed_headers, "expect"));
    /* no signed header may be empty-valued (AWS rejects those that libcurl signs but never sends) */
    char names[512];
    snprintf(names, sizeof names, "%s", pa.signed_headers);
    char *save = NULL;
    for (char *name = strtok_r(names, ";", &save); name; name = strtok_r(NULL, ";", &save)) {
        char value[4096];
        assert_int_equal(canonical_value(&r, name, value, sizeof value), 0);
        if (!value[0])
            fail_msg("signed header %s is empty", name);
    }
    /* the secret never travels */
    for (size_t i = 0; i < r.n_headers; i++)
        assert_null(strstr(r.values[i], SECRET));
    assert_null(strstr(r.body, SECRET));

    free(r.body);
    cJSON_Delete(req);
}

static void test_verifier_rejects_tampered_requests(void **state)
{
    (void)state;
    cJSON *req = put_request("The Unanswered Question");
    ddb_fake_request r = capture("PutItem", req, TOKEN);
    char why[512];
    assert_int_equal(verify(&r, r.body, r.body_len, SECRET, why, sizeof why), 0);

    /* another body */
    char *other = strdup(r.body);
    char *digit = strstr(other, "49.99");
    assert_non_null(digit);
    digit[0] = '5';
    assert_int_not_equal(verify(&r, other, r.body_len, SECRET, why, sizeof why), 0);
    free(other);
    /* another secret */
    assert_int_not_equal(verify(&r, r.body, r.body_len, "not-the-secret", why, sizeof why), 0);
    /* another session token: it is covered by the signature */
    for (size_t i = 0; i < r.n_headers; i++)
        if (strcasecmp(r.names[i], "X-Amz-Security-Token") == 0)
            r.values[i][0] = 'J';
    assert_int_not_equal(verify(&r, r.body, r.body_len, SECRET, why, sizeof why), 0);

    free(r.body);
    cJSON_Delete(req);
}

static void test_request_without_session_token_is_signed_correctly(void **state)
{
    (void)state;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", "concerts");
    ddb_fake_request r = capture("DescribeTable", req, NULL);
    assert_null(ddb_fake_header(&r, "X-Amz-Security-Token"));
    assert_string_equal(ddb_fake_header(&r, "X-Amz-Target"), "DynamoDB_20120810.DescribeTable");
    char why[512] = "";
    if (verify(&r, r.body, r.body_len, SECRET, why, sizeof why) != 0)
        fail_msg("%s", why);
    parsed_auth pa;
    assert_int_equal(parse_auth(ddb_fake_header(&r, "Authorization"), &pa), 0);
    assert_false(signed_list_has(pa.signed_headers, "x-amz-security-token"));
    free(r.body);
    cJSON_Delete(req);
}

/* Bodies above 1 MiB make libcurl ask "Expect: 100-continue": the signature must still hold. */
static void test_large_body_is_signed_correctly(void **state)
{
    (void)state;
    size_t big = 1536 * 1024;
    char *name = malloc(big + 1);
    assert_non_null(name);
    memset(name, 'x', big);
    name[big] = '\0';
    cJSON *req = put_request(name);
    free(name);
    ddb_fake_request r = capture("PutItem", req, TOKEN);
    assert_true(r.body_len > big);
    char why[512] = "";
    if (verify(&r, r.body, r.body_len, SECRET, why, sizeof why) != 0)
        fail_msg("%s", why);
    free(r.body);
    cJSON_Delete(req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_published_vectors),
        cmocka_unit_test(test_signing_key_matches_aws_documentation_example),
        cmocka_unit_test(test_put_item_with_session_token_is_signed_correctly),
        cmocka_unit_test(test_verifier_rejects_tampered_requests),
        cmocka_unit_test(test_request_without_session_token_is_signed_correctly),
        cmocka_unit_test(test_large_body_is_signed_correctly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
