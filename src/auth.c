/* The operator's sign-in with Cognito (auth.h): InitiateAuth / RespondToAuthChallenge over libcurl,
 * answers read with cJSON, tokens kept in memory and, when asked, in the token file. No drawing. */
#include "auth.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bo_base64.h"
#include "bo_buf.h"
#include "bo_err.h"
#include "bo_text.h"

#define ANSWER_MAX ((size_t)256 * 1024)
#define TOKEN_FILE_MAX ((size_t)64 * 1024)
#define REFRESH_MARGIN_S 60
#define DEFAULT_TIMEOUT_MS 10000L
#define TARGET_PREFIX "X-Amz-Target: AWSCognitoIdentityProviderService."

struct auth_session {
    pthread_mutex_t lock;
    char *url, *client_id;        /* owned; NULL for a fixed-token session */
    char *user, *password;        /* owned or NULL; the password is wiped at free */
    char *token_file;             /* owned or NULL */
    long timeout_ms;
    char *id_token, *refresh_token;
    long long expires_at;         /* the ID token's exp, seconds since the epoch */
    char *challenge_session;      /* NEW_PASSWORD_REQUIRED: the challenge's Session */
    bool fixed;                   /* auth_session_with_token: no Cognito */
    bool remembered;              /* the session is kept in the token file: keep it current */
    CURL *curl;                   /* made on first use */
};

const char *auth_status_name(auth_status s)
{
    switch (s) {
    case AUTH_OK: return "ok";
    case AUTH_NEW_PASSWORD: return "new password required";
    case AUTH_REFUSED: return "sign-in refused";
    case AUTH_BAD_PASSWORD: return "password not accepted";
    case AUTH_NOT_SIGNED_IN: return "not signed in";
    case AUTH_NOT_CONFIGURED: return "sign-in not configured";
    case AUTH_UNREACHABLE: return "sign-in service unreachable";
    case AUTH_PROTOCOL: return "unreadable answer from the sign-in service";
    case AUTH_IO: return "token file error";
    case AUTH_NOMEM: return "out of memory";
    }
    return "unknown";
}

/* ---- small helpers ---- */

static void wipe_free(char **p)
{
    if (*p != NULL) {
        volatile char *v = *p;
        for (size_t i = 0; v[i] != '\0'; i++)
            v[i] = '\0';
        free(*p);
        *p = NULL;
    }
}

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL || src[0] == '\0')
        return 0;
    *dst = strdup(src);
    return *dst == NULL ? -1 : 0;
}

static int replace_str(char **dst, const char *src)
{
    char *n = NULL;
    if (src != NULL && (n = strdup(src)) == NULL)
        return -1;
    wipe_free(dst);
    *dst = n;
    return 0;
}

/* "ma…@example.com": the local part cut to 2 characters; "" for NULL */
static void mask_email(const char *email, char *out, size_t cap)
{
    out[0] = '\0';
    if (email == NULL || email[0] == '\0' || cap == 0)
        return;
    const char *at = strchr(email, '@');
    size_t local = at != NULL ? (size_t)(at - email) : strlen(email);
    size_t keep = local < 2 ? local : 2;
    char raw[512];
    snprintf(raw, sizeof raw, "%.*s\xE2\x80\xA6%s", (int)keep, email, at != NULL ? at : "");
    bo_text_sanitize(out, cap, raw);
}

/* A message cut by bo_err_set may end inside a UTF-8 character: made whole again (terminal-safe). */
static void err_clean(char *err, size_t cap)
{
    if (err == NULL || cap == 0)
        return;
    char tmp[512];
    bo_text_sanitize(tmp, cap < sizeof tmp ? cap : sizeof tmp, err);
    snprintf(err, cap, "%s", tmp);
}

/* ---- JWT payload ---- */

int auth_jwt_identity(const char *jwt, auth_identity *out, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    if (jwt == NULL || jwt[0] == '\0') {
        bo_err_set(err, errcap, "no token");
        return -1;
    }
    size_t total = strlen(jwt);
    if (total > AUTH_TOKEN_MAX) {
        bo_err_set(err, errcap, "token too long");
        return -1;
    }
    const char *d1 = strchr(jwt, '.');
    const char *d2 = d1 != NULL ? strchr(d1 + 1, '.') : NULL;
    if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL || d1 == jwt || d2 == d1 + 1) {
        bo_err_set(err, errcap, "a token has three dot-separated parts");
        return -1;
    }
    size_t n = (size_t)(d2 - (d1 + 1));
    if (n % 4 == 1) {
        bo_err_set(err, errcap, "the token's payload is not base64url");
        return -1;
    }
    char *b64 = malloc(n + 4);
    if (b64 == NULL) {
        bo_err_set(err, errcap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = d1[1 + i];
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            free(b64);
            bo_err_set(err, errcap, "the token's payload is not base64url");
            return -1;
        }
        b64[i] = c;
    }
    size_t m = n;
    while (m % 4 != 0)
        b64[m++] = '=';
    b64[m] = '\0';
    size_t plen = 0;
    char *payload = bo_base64_decode(b64, m, AUTH_TOKEN_MAX, &plen, NULL);
    free(b64);
    if (payload == NULL) {
        bo_err_set(err, errcap, "the token's payload is not base64url");
        return -1;
    }
    int rc = -1;
    cJSON *j = NULL;
    if (memchr(payload, '\0', plen) != NULL) {
        bo_err_set(err, errcap, "the token's payload holds a NUL byte");
        goto done;
    }
    j = cJSON_ParseWithLength(payload, plen);
    if (!cJSON_IsObject(j)) {
        bo_err_set(err, errcap, "the token's payload is not a JSON object");
        goto done;
    }
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(j, "sub");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
    const cJSON *display = cJSON_GetObjectItemCaseSensitive(j, "custom:display_name");
    const cJSON *email = cJSON_GetObjectItemCaseSensitive(j, "email");
    const cJSON *groups = cJSON_GetObjectItemCaseSensitive(j, "cognito:groups");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, "exp");
    const cJSON *use = cJSON_GetObjectItemCaseSensitive(j, "token_use");
    if (!cJSON_IsString(sub) || sub->valuestring[0] == '\0') {
        bo_err_set(err, errcap, "the token names no subject (sub)");
        goto done;
    }
    if ((name != NULL && !cJSON_IsString(name)) || (display != NULL && !cJSON_IsString(display))
        || (email != NULL && !cJSON_IsString(email)) || (use != NULL && !cJSON_IsString(use))) {
        bo_err_set(err, errcap, "the token's name, custom:display_name, email or token_use is not a string");
        goto done;
    }
    /* the display name: `name` (real Cognito), else custom:display_name (cognito-local's ID tokens carry custom
     * attributes but not `name`; the backend's caller.c reads the same two) */
    if (name == NULL || name->valuestring[0] == '\0')
        name = display;
    if (exp != NULL && (!cJSON_IsNumber(exp) || exp->valuedouble < 0 || exp->valuedouble > 1e13)) {
        bo_err_set(err, errcap, "the token's exp is not a time");
        goto done;
    }
    bo_text_sanitize(out->sub, sizeof out->sub, sub->valuestring);
    if (email != NULL)
        mask_email(email->valuestring, out->email_masked, sizeof out->email_masked);
    if (name != NULL && name->valuestring[0] != '\0') {
        bo_text_sanitize(out->name, sizeof out->name, name->valuestring);
    } else if (email != NULL && email->valuestring[0] != '\0') {
        const char *at = strchr(email->valuestring, '@');
        char masked[160];
        mask_email(email->valuestring, masked, sizeof masked);
        /* the part before '@' of the masked form: "ma…" */
        char *mat = strchr(masked, '@');
        if (at != NULL && mat != NULL)
            *mat = '\0';
        bo_text_sanitize(out->name, sizeof out->name, masked);
    }
    if (use != NULL)
        bo_text_sanitize(out->token_use, sizeof out->token_use, use->valuestring);
    if (exp != NULL)
        out->exp = (long long)exp->valuedouble;
    if (groups != NULL) {
        bo_buf b;
        char raw[sizeof out->groups];
        bo_buf_init_fixed(&b, raw, sizeof raw);
        if (cJSON_IsArray(groups)) {
            const cJSON *g;
            int i = 0;
            cJSON_ArrayForEach(g, groups) {
                if (!cJSON_IsString(g) || g->valuestring[0] == '\0' || strchr(g->valuestring, ',') != NULL) {
                    bo_err_set(err, errcap, "the token's groups are not a list of names");
                    goto done;
                }
                bo_buf_addf(&b, "%s%s", i++ > 0 ? "," : "", g->valuestring);
            }
        } else if (cJSON_IsString(groups)) {
            bo_buf_add(&b, groups->valuestring);
        } else {
            bo_err_set(err, errcap, "the token's groups are not a list of names");
            goto done;
        }
        if (bo_buf_error(&b) != BO_BUF_OK) {
            bo_err_set(err, errcap, "the token's groups are too long");
            goto done;
        }
        bo_text_sanitize(out->groups, sizeof out->groups, bo_buf_ptr(&b));
    }
    rc = 0;
done:
    cJSON_Delete(j);
    free(payload);
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        err_clean(err, errcap); /* only a failure wrote err: on success it is the caller's, maybe never set */
    }
    return rc;
}

/* ---- Cognito's answers ---- */

void auth_answer_clear(auth_answer *a)
{
    if (a == NULL)
        return;
    wipe_free(&a->id_token);
    wipe_free(&a->refresh_token);
    wipe_free(&a->session);
    memset(a, 0, sizeof *a);
}

static const char *str_item(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsString(v) && v->valuestring[0] != '\0' ? v->valuestring : NULL;
}

/* a token: visible ASCII, not too long */
static bool token_ok(const char *t)
{
    if (t == NULL)
        return false;
    size_t n = 0;
    for (; t[n] != '\0'; n++)
        if ((unsigned char)t[n] <= 0x20 || (unsigned char)t[n] >= 0x7f)
            return false;
    return n > 0 && n <= AUTH_TOKEN_MAX;
}

auth_status auth_parse_answer(long http_status, const char *body, size_t len, auth_answer *out, char *err,
                              size_t errcap)
{
    memset(out, 0, sizeof *out);
    cJSON *j = body != NULL && len > 0 ? cJSON_ParseWithLength(body, len) : NULL;
    auth_status st = AUTH_PROTOCOL;
    if (!cJSON_IsObject(j)) {
        bo_err_set(err, errcap, "the sign-in service answered HTTP %ld without JSON", http_status);
        goto done;
    }
    if (http_status < 200 || http_status >= 300) {
        const char *type = str_item(j, "__type");
        if (type == NULL)
            type = str_item(j, "code");
        const char *msg = str_item(j, "message");
        if (msg == NULL)
            msg = str_item(j, "Message");
        if (type != NULL && strchr(type, '#') != NULL)
            type = strchr(type, '#') + 1;
        char clean[200];
        bo_text_sanitize(clean, sizeof clean, msg != NULL ? msg : type != NULL ? type : "no reason given");
        if (type == NULL) {
            bo_err_set(err, errcap, "the sign-in service answered HTTP %ld: %s", http_status, clean);
        } else if (strcmp(type, "NotAuthorizedException") == 0 || strcmp(type, "UserNotFoundException") == 0) {
            st = AUTH_REFUSED;
            bo_err_set(err, errcap, "sign-in refused: wrong e-mail or password, or the session expired (%s)", clean);
        } else if (strcmp(type, "PasswordResetRequiredException") == 0 || strcmp(type, "UserNotConfirmedException") == 0) {
            st = AUTH_REFUSED;
            bo_err_set(err, errcap, "sign-in refused: %s", clean);
        } else if (strcmp(type, "InvalidPasswordException") == 0) {
            st = AUTH_BAD_PASSWORD;
            bo_err_set(err, errcap, "password not accepted: %s", clean);
        } else {
            char t[80];
            bo_text_sanitize(t, sizeof t, type);
            bo_err_set(err, errcap, "the sign-in service refused (%s): %s", t, clean);
        }
        goto done;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "AuthenticationResult");
    const char *challenge = str_item(j, "ChallengeName");
    if (cJSON_IsObject(res)) {
        const char *id = str_item(res, "IdToken");
        const char *rt = str_item(res, "RefreshToken");
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(res, "ExpiresIn");
        if (!token_ok(id) || (rt != NULL && !token_ok(rt))) {
            bo_err_set(err, errcap, "the sign-in answer carries no usable ID token");
            goto done;
        }
        if (exp != NULL && (!cJSON_IsNumber(exp) || exp->valuedouble < 0 || exp->valuedouble > 1e9)) {
            bo_err_set(err, errcap, "the sign-in answer's ExpiresIn is not a number of seconds");
            goto done;
        }
        if ((out->id_token = strdup(id)) == NULL || (rt != NULL && (out->refresh_token = strdup(rt)) == NULL)) {
            st = AUTH_NOMEM;
            bo_err_set(err, errcap, "out of memory");
            goto done;
        }
        out->expires_in = exp != NULL ? (long)exp->valuedouble : 0;
        st = AUTH_OK;
    } else if (challenge != NULL && strcmp(challenge, "NEW_PASSWORD_REQUIRED") == 0) {
        const char *session = str_item(j, "Session");
        if (!token_ok(session)) {
            bo_err_set(err, errcap, "the new-password challenge carries no session");
            goto done;
        }
        if ((out->session = strdup(session)) == NULL) {
            st = AUTH_NOMEM;
            bo_err_set(err, errcap, "out of memory");
            goto done;
        }
        out->new_password = true;
        st = AUTH_NEW_PASSWORD;
        bo_err_set(err, errcap, "a new password is required");
    } else if (challenge != NULL) {
        char c[64];
        bo_text_sanitize(c, sizeof c, challenge);
        bo_err_set(err, errcap, "the sign-in asks for %s, which this client does not answer", c);
    } else {
        bo_err_set(err, errcap, "the sign-in answer has neither tokens nor a challenge");
    }
done:
    cJSON_Delete(j);
    if (st != AUTH_OK && st != AUTH_NEW_PASSWORD) {
        auth_answer_clear(out);
        err_clean(err, errcap); /* only a failure wrote err: on success it is the caller's, maybe never set */
    }
    return st;
}

/* ---- the session ---- */

char *auth_default_token_file(void)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    const char *h = getenv("HOME");
    char buf[4096];
    int n;
    if (x != NULL && x[0] != '\0')
        n = snprintf(buf, sizeof buf, "%s/boxoffice/session", x);
    else if (h != NULL && h[0] != '\0')
        n = snprintf(buf, sizeof buf, "%s/.config/boxoffice/session", h);
    else
        return NULL;
    return n > 0 && (size_t)n < sizeof buf ? strdup(buf) : NULL;
}

static void set_tokens(auth_session *s, auth_answer *a)
{
    wipe_free(&s->id_token);
    s->id_token = a->id_token;
    a->id_token = NULL;
    if (a->refresh_token != NULL) {
        wipe_free(&s->refresh_token);
        s->refresh_token = a->refresh_token;
        a->refresh_token = NULL;
    }
    auth_identity id;
    if (auth_jwt_identity(s->id_token, &id, NULL, 0) == 0 && id.exp > 0)
        s->expires_at = id.exp;
    else
        s->expires_at = (long long)time(NULL) + (a->expires_in > 0 ? a->expires_in : 300);
}

static int load_file(auth_session *s, char *err, size_t errcap)
{
    int fd = open(s->token_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : (bo_err_set(err, errcap, "cannot read %s: %s", s->token_file, strerror(errno)), -1);
    bo_buf b;
    bo_buf_init(&b, TOKEN_FILE_MAX);
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        if (bo_buf_addn(&b, chunk, (size_t)n) != BO_BUF_OK)
            break;
    close(fd);
    int rc = -1;
    cJSON *j = n < 0 || bo_buf_error(&b) != BO_BUF_OK ? NULL : cJSON_ParseWithLength(bo_buf_ptr(&b), bo_buf_len(&b));
    const char *id = str_item(j, "idToken"), *rt = str_item(j, "refreshToken");
    if (!cJSON_IsObject(j) || (id != NULL && !token_ok(id)) || (rt != NULL && !token_ok(rt)) || (id == NULL && rt == NULL)) {
        bo_err_set(err, errcap, "%s is not a boxoffice session (boxoffice logout removes it)", s->token_file);
    } else if (replace_str(&s->id_token, id) != 0 || replace_str(&s->refresh_token, rt) != 0) {
        bo_err_set(err, errcap, "out of memory");
    } else {
        auth_identity ident;
        s->expires_at = s->id_token != NULL && auth_jwt_identity(s->id_token, &ident, NULL, 0) == 0 ? ident.exp : 0;
        s->remembered = true;
        rc = 0;
    }
    cJSON_Delete(j);
    /* the buffer held tokens: wipe it */
    if (b.mem != NULL)
        memset(b.mem, 0, b.alloc);
    bo_buf_free(&b);
    return rc;
}

auth_session *auth_session_new(const auth_config *cfg, char *err, size_t errcap)
{
    auth_session *s = calloc(1, sizeof *s);
    if (s == NULL) {
        bo_err_set(err, errcap, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    s->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;
    if (dup_opt(&s->url, cfg->cognito_url) != 0 || dup_opt(&s->client_id, cfg->client_id) != 0
        || dup_opt(&s->user, cfg->user) != 0 || dup_opt(&s->password, cfg->password) != 0
        || dup_opt(&s->token_file, cfg->token_file) != 0) {
        bo_err_set(err, errcap, "out of memory");
        auth_session_free(s);
        return NULL;
    }
    if (s->user == NULL && s->token_file != NULL)
        (void)load_file(s, err, errcap);   /* a bad file: err says so, the session starts signed out */
    return s;
}

auth_session *auth_session_with_token(const char *id_token)
{
    if (!token_ok(id_token))
        return NULL;
    auth_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    s->fixed = true;
    if ((s->id_token = strdup(id_token)) == NULL) {
        auth_session_free(s);
        return NULL;
    }
    return s;
}

void auth_session_free(auth_session *s)
{
    if (s == NULL)
        return;
    if (s->curl != NULL)
        curl_easy_cleanup(s->curl);
    wipe_free(&s->url);
    wipe_free(&s->client_id);
    wipe_free(&s->user);
    wipe_free(&s->password);
    wipe_free(&s->token_file);
    wipe_free(&s->id_token);
    wipe_free(&s->refresh_token);
    wipe_free(&s->challenge_session);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* One call of Cognito's JSON API: op with body; the answer parsed into *a. Lock held. */
static auth_status cognito_call(auth_session *s, const char *op, cJSON *body, auth_answer *a, char *err, size_t errcap)
{
    memset(a, 0, sizeof *a);
    if (s->fixed || s->url == NULL || s->client_id == NULL) {
        bo_err_set(err, errcap, "sign-in is not configured: set BOXOFFICE_COGNITO_URL and BOXOFFICE_CLIENT_ID");
        return AUTH_NOT_CONFIGURED;
    }
    char *text = cJSON_PrintUnformatted(body);
    if (text == NULL) {
        bo_err_set(err, errcap, "out of memory");
        return AUTH_NOMEM;
    }
    auth_status st = AUTH_NOMEM;
    struct curl_slist *hdrs = NULL, *tmp;
    char target[128];
    bo_buf resp;
    bo_buf_init(&resp, ANSWER_MAX);
    if (s->curl == NULL && (s->curl = curl_easy_init()) == NULL) {
        bo_err_set(err, errcap, "out of memory");
        goto cleanup;
    }
    snprintf(target, sizeof target, TARGET_PREFIX "%s", op);
    if ((tmp = curl_slist_append(hdrs, "Content-Type: application/x-amz-json-1.1")) == NULL)
        goto oom;
    hdrs = tmp;
    if ((tmp = curl_slist_append(hdrs, target)) == NULL)
        goto oom;
    hdrs = tmp;
    if ((tmp = curl_slist_append(hdrs, "Expect:")) == NULL)
        goto oom;
    hdrs = tmp;
    CURL *h = s->curl;
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms < 3000 ? s->timeout_ms : 3000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s->timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "boxoffice/1");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(text));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bo_buf_write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    if (cc != CURLE_OK) {
        char clean[CURL_ERROR_SIZE];
        bo_text_sanitize(clean, sizeof clean, errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
        st = bo_buf_error(&resp) == BO_BUF_TOO_BIG ? AUTH_PROTOCOL : AUTH_UNREACHABLE;
        bo_err_set(err, errcap, "the sign-in service did not answer: %s", clean);
        goto cleanup;
    }
    st = auth_parse_answer(status, bo_buf_ptr(&resp), bo_buf_len(&resp), a, err, errcap);
    goto cleanup;
oom:
    bo_err_set(err, errcap, "out of memory");
cleanup:
    curl_slist_free_all(hdrs);
    if (resp.mem != NULL)
        memset(resp.mem, 0, resp.alloc);
    bo_buf_free(&resp);
    memset(text, 0, strlen(text));
    cJSON_free(text);
    return st;
}

/* InitiateAuth USER_PASSWORD_AUTH. Lock held. */
static auth_status signin_locked(auth_session *s, const char *user, const char *password, char *err, size_t errcap)
{
    auth_answer a;
    cJSON *body = cJSON_CreateObject(), *params = NULL;
    if (body == NULL || cJSON_AddStringToObject(body, "AuthFlow", "USER_PASSWORD_AUTH") == NULL
        || cJSON_AddStringToObject(body, "ClientId", s->client_id != NULL ? s->client_id : "") == NULL
        || (params = cJSON_AddObjectToObject(body, "AuthParameters")) == NULL
        || cJSON_AddStringToObject(params, "USERNAME", user) == NULL
        || cJSON_AddStringToObject(params, "PASSWORD", password) == NULL) {
        cJSON_Delete(body);
        bo_err_set(err, errcap, "out of memory");
        return AUTH_NOMEM;
    }
    auth_status st = cognito_call(s, "InitiateAuth", body, &a, err, errcap);
    cJSON_Delete(body);
    if (st == AUTH_BAD_PASSWORD) {
        /* cognito-local answers a wrong password so (Cognito: NotAuthorizedException) */
        st = AUTH_REFUSED;
        bo_err_set(err, errcap, "sign-in refused: wrong e-mail or password");
    }
    if (st == AUTH_OK) {
        set_tokens(s, &a);
        wipe_free(&s->challenge_session);
    } else if (st == AUTH_NEW_PASSWORD) {
        wipe_free(&s->challenge_session);
        s->challenge_session = a.session;
        a.session = NULL;
    }
    auth_answer_clear(&a);
    return st;
}

/* REFRESH_TOKEN_AUTH. Lock held. */
static auth_status refresh_locked(auth_session *s, char *err, size_t errcap)
{
    auth_answer a;
    cJSON *body = cJSON_CreateObject(), *params = NULL;
    if (body == NULL || cJSON_AddStringToObject(body, "AuthFlow", "REFRESH_TOKEN_AUTH") == NULL
        || cJSON_AddStringToObject(body, "ClientId", s->client_id != NULL ? s->client_id : "") == NULL
        || (params = cJSON_AddObjectToObject(body, "AuthParameters")) == NULL
        || cJSON_AddStringToObject(params, "REFRESH_TOKEN", s->refresh_token) == NULL) {
        cJSON_Delete(body);
        bo_err_set(err, errcap, "out of memory");
        return AUTH_NOMEM;
    }
    auth_status st = cognito_call(s, "InitiateAuth", body, &a, err, errcap);
    cJSON_Delete(body);
    if (st == AUTH_OK)
        set_tokens(s, &a);
    else if (st == AUTH_NEW_PASSWORD)
        st = AUTH_PROTOCOL;
    auth_answer_clear(&a);
    return st;
}

static auth_status remember_locked(auth_session *s, char *err, size_t errcap);

/* A fresh token by whatever the session has: refresh token, then the configured password. Lock held. */
static auth_status renew_locked(auth_session *s, char *err, size_t errcap)
{
    if (s->fixed) {
        bo_err_set(err, errcap, "not signed in / session expired: boxoffice login");
        return AUTH_NOT_SIGNED_IN;
    }
    auth_status st = AUTH_NOT_SIGNED_IN;
    if (s->refresh_token != NULL) {
        st = refresh_locked(s, err, errcap);
        if (st == AUTH_OK) {
            if (s->remembered)
                (void)remember_locked(s, NULL, 0);   /* the file keeps working without the new ID token */
            return AUTH_OK;
        }
        if (st == AUTH_REFUSED)
            wipe_free(&s->refresh_token);
    }
    if (s->user != NULL && s->password != NULL && (st == AUTH_NOT_SIGNED_IN || st == AUTH_REFUSED)) {
        st = signin_locked(s, s->user, s->password, err, errcap);
        if (st == AUTH_NEW_PASSWORD)
            bo_err_set(err, errcap, "a new password is required: boxoffice login");
        return st;
    }
    if (st == AUTH_NOT_SIGNED_IN)
        bo_err_set(err, errcap, "not signed in / session expired: boxoffice login");
    return st;
}

auth_status auth_signin(auth_session *s, const char *user, const char *password, char *err, size_t errcap)
{
    if (user == NULL || user[0] == '\0' || password == NULL || password[0] == '\0') {
        bo_err_set(err, errcap, "e-mail and password are both needed");
        return AUTH_REFUSED;
    }
    if (bo_text_has_control(user) || bo_text_has_control(password)) {
        bo_err_set(err, errcap, "the e-mail or password holds control characters");
        return AUTH_REFUSED;
    }
    pthread_mutex_lock(&s->lock);
    auth_status st = signin_locked(s, user, password, err, errcap);
    if ((st == AUTH_OK || st == AUTH_NEW_PASSWORD) && (replace_str(&s->user, user) != 0
        || replace_str(&s->password, st == AUTH_OK ? password : NULL) != 0)) {
        st = AUTH_NOMEM;
        bo_err_set(err, errcap, "out of memory");
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

auth_status auth_respond_new_password(auth_session *s, const char *new_password, char *err, size_t errcap)
{
    if (new_password == NULL || new_password[0] == '\0' || bo_text_has_control(new_password)) {
        bo_err_set(err, errcap, "the new password is empty or holds control characters");
        return AUTH_BAD_PASSWORD;
    }
    pthread_mutex_lock(&s->lock);
    auth_status st;
    if (s->challenge_session == NULL || s->user == NULL) {
        st = AUTH_NOT_SIGNED_IN;
        bo_err_set(err, errcap, "no new-password challenge to answer: sign in first");
        goto out;
    }
    auth_answer a;
    cJSON *body = cJSON_CreateObject(), *resp = NULL;
    if (body == NULL || cJSON_AddStringToObject(body, "ChallengeName", "NEW_PASSWORD_REQUIRED") == NULL
        || cJSON_AddStringToObject(body, "ClientId", s->client_id != NULL ? s->client_id : "") == NULL
        || cJSON_AddStringToObject(body, "Session", s->challenge_session) == NULL
        || (resp = cJSON_AddObjectToObject(body, "ChallengeResponses")) == NULL
        || cJSON_AddStringToObject(resp, "USERNAME", s->user) == NULL
        || cJSON_AddStringToObject(resp, "NEW_PASSWORD", new_password) == NULL) {
        cJSON_Delete(body);
        st = AUTH_NOMEM;
        bo_err_set(err, errcap, "out of memory");
        goto out;
    }
    st = cognito_call(s, "RespondToAuthChallenge", body, &a, err, errcap);
    cJSON_Delete(body);
    auth_answer_clear(&a);
    if (st == AUTH_NEW_PASSWORD) {
        st = AUTH_PROTOCOL;
        bo_err_set(err, errcap, "the sign-in service asked for a new password again");
    }
    if (st != AUTH_OK)
        goto out;
    wipe_free(&s->challenge_session);
    /* a fresh sign-in: its refresh token works for REFRESH_TOKEN_AUTH (the challenge answer's may not) */
    st = signin_locked(s, s->user, new_password, err, errcap);
    if (st == AUTH_OK && replace_str(&s->password, new_password) != 0) {
        st = AUTH_NOMEM;
        bo_err_set(err, errcap, "out of memory");
    }
out:
    pthread_mutex_unlock(&s->lock);
    return st;
}

auth_status auth_token(auth_session *s, char *out, size_t cap, char *err, size_t errcap)
{
    if (cap > 0)
        out[0] = '\0';
    pthread_mutex_lock(&s->lock);
    auth_status st = AUTH_OK;
    bool fresh = s->id_token != NULL && (s->fixed || s->expires_at - (long long)time(NULL) > REFRESH_MARGIN_S);
    if (!fresh)
        st = renew_locked(s, err, errcap);
    if (st == AUTH_OK) {
        if (strlen(s->id_token) + 1 > cap) {
            st = AUTH_NOMEM;
            bo_err_set(err, errcap, "token longer than the buffer");
        } else {
            memcpy(out, s->id_token, strlen(s->id_token) + 1);
        }
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

auth_status auth_refresh(auth_session *s, char *err, size_t errcap)
{
    pthread_mutex_lock(&s->lock);
    auth_status st = renew_locked(s, err, errcap);
    pthread_mutex_unlock(&s->lock);
    return st;
}

bool auth_can_sign_in(auth_session *s)
{
    if (s == NULL)
        return false;
    pthread_mutex_lock(&s->lock);
    bool yes = s->id_token != NULL || s->refresh_token != NULL || (s->user != NULL && s->password != NULL);
    pthread_mutex_unlock(&s->lock);
    return yes;
}

static int mkdir_parent(const char *path)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return -1;
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static auth_status remember_locked(auth_session *s, char *err, size_t errcap)
{
    if (s->token_file == NULL) {
        bo_err_set(err, errcap, "no place for the token file (set HOME or XDG_CONFIG_HOME)");
        return AUTH_IO;
    }
    if (s->id_token == NULL && s->refresh_token == NULL) {
        bo_err_set(err, errcap, "not signed in: nothing to remember");
        return AUTH_NOT_SIGNED_IN;
    }
    cJSON *j = cJSON_CreateObject();
    if (j == NULL || (s->id_token != NULL && cJSON_AddStringToObject(j, "idToken", s->id_token) == NULL)
        || (s->refresh_token != NULL && cJSON_AddStringToObject(j, "refreshToken", s->refresh_token) == NULL)) {
        cJSON_Delete(j);
        bo_err_set(err, errcap, "out of memory");
        return AUTH_NOMEM;
    }
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (text == NULL) {
        bo_err_set(err, errcap, "out of memory");
        return AUTH_NOMEM;
    }
    auth_status st = AUTH_IO;
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", s->token_file) >= (int)sizeof tmp) {
        bo_err_set(err, errcap, "token file path too long");
        goto done;
    }
    if (mkdir_parent(s->token_file) != 0) {
        bo_err_set(err, errcap, "cannot make the directory of %s: %s", s->token_file, strerror(errno));
        goto done;
    }
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        bo_err_set(err, errcap, "cannot write %s: %s", tmp, strerror(errno));
        goto done;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off != len || fsync(fd) != 0 || close(fd) != 0) {
        if (off != len)
            close(fd);
        unlink(tmp);
        bo_err_set(err, errcap, "cannot write %s", tmp);
        goto done;
    }
    if (rename(tmp, s->token_file) != 0) {
        unlink(tmp);
        bo_err_set(err, errcap, "cannot write %s: %s", s->token_file, strerror(errno));
        goto done;
    }
    s->remembered = true;
    st = AUTH_OK;
done:
    memset(text, 0, strlen(text));
    cJSON_free(text);
    return st;
}

auth_status auth_remember(auth_session *s, char *err, size_t errcap)
{
    pthread_mutex_lock(&s->lock);
    auth_status st = remember_locked(s, err, errcap);
    pthread_mutex_unlock(&s->lock);
    return st;
}

int auth_signout(auth_session *s, char *err, size_t errcap)
{
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    if (!s->fixed)
        wipe_free(&s->id_token);
    wipe_free(&s->refresh_token);
    wipe_free(&s->password);
    wipe_free(&s->challenge_session);
    s->expires_at = 0;
    s->remembered = false;
    if (s->token_file != NULL && unlink(s->token_file) != 0 && errno != ENOENT) {
        bo_err_set(err, errcap, "cannot remove %s: %s", s->token_file, strerror(errno));
        rc = -1;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

bool auth_identity_get(auth_session *s, auth_identity *out)
{
    pthread_mutex_lock(&s->lock);
    bool ok = s->id_token != NULL && auth_jwt_identity(s->id_token, out, NULL, 0) == 0;
    pthread_mutex_unlock(&s->lock);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}
