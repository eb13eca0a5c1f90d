/* Command-line parsing and the subcommands against the scripted HTTP stub. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "http_stub.h"
#include "stub_fixture.h"

#define CONCERTS "[{\"id\":\"c-1\",\"name\":\"Björk\",\"date\":\"2026-12-01\",\"venue\":\"Harpa\",\"availableTickets\":12,\"ticketPrice\":49.99}," \
                 "{\"id\":\"c-2\",\"name\":\"Evil\\u001b[2J Band\",\"date\":\"2026-11-01\",\"venue\":\"Hall\",\"availableTickets\":0,\"ticketPrice\":1234.5}]"

#define GOOD_C1 "{\"id\":\"c-1\",\"name\":\"Björk\",\"date\":\"2099-01-01\",\"venue\":\"Harpa\",\"availableTickets\":12,\"ticketPrice\":49.99}"
/* one catalogue, every kind of bad record among good ones */
#define BAD_CONCERTS "[" GOOD_C1 "," \
    "{\"id\":\"neg-seats\",\"name\":\"Neg\",\"date\":\"2099-01-02\",\"venue\":\"V\",\"availableTickets\":-5,\"ticketPrice\":10}," \
    "{\"id\":\"huge-price\",\"name\":\"Huge\",\"date\":\"2099-01-03\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":90000000000000.01}," \
    "{\"id\":\"bidi\\u202eid\",\"name\":\"Bidi\",\"date\":\"2099-01-04\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":10}," \
    "{\"id\":\"esc\\u001b[31mid\",\"name\":\"Esc\",\"date\":\"2099-01-05\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":10}," \
    "{\"id\":\"srv\",\"name\":\"Srv\",\"date\":\"2099-01-06\",\"venue\":\"V\",\"availableTickets\":\"9007199254740993\",\"ticketPrice\":10," \
    "\"problems\":[\"availableTickets: 9007199254740993 cannot be represented\"]}]"

static void no_subcommand_is_the_ui(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--kiosk", "--kiosk-pin", "12", "--refresh", "7",
                                    "--no-color", "--api-url", "http://x.example.com", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_UI);
    assert_true(a.kiosk && !a.inspect && a.no_color && !a.json);
    assert_string_equal(a.flags.kiosk_pin, "12");
    assert_int_equal(a.flags.refresh_s, 7);
    assert_string_equal(a.flags.api_url, "http://x.example.com");
}

/* The inspector shows customers' names and e-mails: a kiosk never runs with it. */
static void kiosk_refuses_the_inspector(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--kiosk", "--inspect", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "--inspect cannot be combined with --kiosk"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--inspect", NULL), 0);
    assert_true(a.inspect && !a.kiosk);
}

static void options_may_follow_the_subcommand(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "buy", "c-1", "--name", "Ada", "--email", "a@b.co", "--json", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_BUY);
    assert_string_equal(a.id, "c-1");
    assert_string_equal(a.name, "Ada");
    assert_string_equal(a.email, "a@b.co");
    assert_true(a.json);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--json", "list", "--sort", "seats", "--filter", "harp", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_LIST);
    assert_string_equal(a.sort, "seats");
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "create", "--name", "N", "--date", "2026-01-01", "--venue", "V",
                                    "--tickets", "10", "--price", "9.99", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_CREATE);
    assert_string_equal(a.price, "9.99");
}

static void config_command_never_prints_the_key(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--json", "config", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_CONFIG);
    config cfg = { .api_url = (char *)"https://api.example.com/dev", .cognito_url = (char *)"http://127.0.0.1:9229",
                   .client_id = (char *)"client-1", .user = (char *)"ana@example.org", .password = (char *)"s3cret-pw",
                   .kiosk_pin = (char *)"4711", .refresh_s = 7, .idle_timeout_s = 30,
                   .url_source = CONFIG_SRC_ENV, .cognito_source = CONFIG_SRC_FILE, .user_source = CONFIG_SRC_ENV,
                   .file_path = NULL };
    char *text = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&text, &n);
    assert_int_equal(cli_print_config(&a, &cfg, out), 0);
    fclose(out);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "apiUrlSource")->valuestring, "env");
    assert_string_equal(cJSON_GetObjectItem(j, "cognitoSource")->valuestring, "file");
    assert_string_equal(cJSON_GetObjectItem(j, "cognitoUrl")->valuestring, "http://127.0.0.1:9229");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "passwordSet")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "userSet")));
    assert_int_equal(cJSON_GetObjectItem(j, "refreshSeconds")->valueint, 7);
    assert_null(strstr(text, "s3cret"));
    assert_null(strstr(text, "4711"));
    cJSON_Delete(j);
    free(text);
    a.json = false;
    out = open_memstream(&text, &n);
    assert_int_equal(cli_print_config(&a, &cfg, out), 0);
    fclose(out);
    assert_non_null(strstr(text, "https://api.example.com/dev"));
    assert_null(strstr(text, "s3cret"));
    free(text);
}

static void help_and_version(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--help", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_HELP);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "list", "-h", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_HELP);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "-V", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_VERSION);
    char text[8192];
    FILE *f = fmemopen(text, sizeof text, "w");
    cli_usage(f);
    fclose(f);
    for (int code = 0; code <= 6; code++) { /* every exit code is documented */
        char needle[24];
        snprintf(needle, sizeof needle, "  %d  ", code);
        assert_non_null(strstr(text, needle));
    }
}

static void usage_errors(void **state)
{
    (void)state;
    cli_args a;
    char e[512];
#define USAGE(...) do { e[0] = '\0'; assert_int_equal(stub_cli_parse(&a, e, sizeof e, __VA_ARGS__, NULL), CLI_EXIT_USAGE); \
                        assert_non_null(strstr(e, "boxoffice: ")); } while (0)
    USAGE("dance");
    USAGE("--frobnicate");
    USAGE("-x");
    USAGE("show");
    USAGE("show", "a", "b");
    USAGE("buy", "c-1", "--name", "Ada");
    USAGE("buy", "c-1", "--email", "a@b.co");
    USAGE("create", "--name", "N", "--date", "2026-01-01", "--venue", "V", "--tickets", "1");
    USAGE("list", "--name", "x");
    USAGE("list", "--sort", "price");
    USAGE("--json");
    USAGE("list", "--kiosk");
    USAGE("show", "c-1", "--refresh", "5");
    USAGE("--refresh", "-1");
    USAGE("--refresh", "soon");
    USAGE("--api-url");
    USAGE("--name", "x");
    USAGE("stray");
#undef USAGE
    stub_cli_parse(&a, e, sizeof e, "--api-url", NULL);
    assert_non_null(strstr(e, "--api-url"));
}

static void exit_codes_per_status(void **state)
{
    (void)state;
    assert_int_equal(cli_exit_code(API_OK), 0);
    assert_int_equal(cli_exit_code(API_ERR_INVALID), 2);
    assert_int_equal(cli_exit_code(API_ERR_PROTOCOL), 2);
    assert_int_equal(cli_exit_code(API_ERR_SOLD_OUT), 3);
    assert_int_equal(cli_exit_code(API_ERR_NOT_FOUND), 4);
    assert_int_equal(cli_exit_code(API_ERR_FORBIDDEN), 5);
    assert_int_equal(cli_exit_code(API_ERR_UNAVAILABLE), 6);
    assert_int_equal(cli_exit_code(API_ERR_UNREACHABLE), 6);
    assert_int_equal(cli_exit_code(API_ERR_TIMEOUT), 6);
    assert_int_equal(cli_exit_code(API_ERR_THROTTLED), 6);
}

/* ---- subcommands against the stub ---- */

static void list_prints_a_sanitised_table(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, CONCERTS);
    assert_int_equal(stub_cli_run(s, "k", &o, "list", NULL), 0);
    assert_non_null(strstr(o.out, "Björk"));
    assert_non_null(strstr(o.out, "49.99"));
    assert_non_null(strstr(o.out, "1,234.50"));
    assert_non_null(strstr(o.out, "sold out"));
    assert_null(strchr(o.out, '\x1b'));
    /* sorted by date: the November concert first */
    assert_true(strstr(o.out, "Evil") < strstr(o.out, "Björk"));
    stub_cli_free(&o);
    stub_stop(s);
}

/* Times for people are in the venue's zone with its abbreviation (the operator's zone without one); --json
 * keeps the stored UTC instant. */
static void list_and_buy_show_times_in_the_venues_zone(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    setenv("TZ", "Asia/Tokyo", 1); /* the operator's zone */
    stub_push(s, 200, "[{\"id\":\"c-b\",\"name\":\"Berlin\",\"date\":\"2026-12-12T19:00:00Z\",\"venue\":\"V\","
                      "\"availableTickets\":5,\"ticketPrice\":10,\"timezone\":\"Europe/Berlin\"},"
                      "{\"id\":\"c-n\",\"name\":\"NewYork\",\"date\":\"2026-12-13T01:30:00Z\",\"venue\":\"V\","
                      "\"availableTickets\":5,\"ticketPrice\":10,\"timezone\":\"America/New_York\"},"
                      "{\"id\":\"c-t\",\"name\":\"Nowhere\",\"date\":\"2026-12-14T11:00:00Z\",\"venue\":\"V\","
                      "\"availableTickets\":5,\"ticketPrice\":10}]");
    assert_int_equal(stub_cli_run(s, "k", &o, "list", NULL), 0);
    assert_non_null(strstr(o.out, "20:00 CET  Berlin"));
    assert_non_null(strstr(o.out, "12 Dec"));
    assert_non_null(strstr(o.out, "20:30 EST  NewYork"));
    assert_non_null(strstr(o.out, "20:00 JST  Nowhere"));
    assert_null(strstr(o.out, "T19:00"));
    stub_cli_free(&o);
    stub_push(s, 200, "{\"id\":\"c-n\",\"name\":\"NewYork\",\"date\":\"2026-12-13T01:30:00Z\",\"venue\":\"V\","
                      "\"availableTickets\":5,\"ticketPrice\":10,\"timezone\":\"America/New_York\"}");
    stub_push(s, 201, "{\"id\":\"t-1\",\"concertId\":\"c-n\",\"purchaseDate\":\"2026-11-29T10:00:00.000Z\"}");
    stub_push(s, 200, "{\"id\":\"c-n\",\"name\":\"NewYork\",\"date\":\"2026-12-13T01:30:00Z\",\"venue\":\"V\","
                      "\"availableTickets\":4,\"ticketPrice\":10,\"timezone\":\"America/New_York\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "c-n", "--name", "Ada", "--email", "ada@example.com", NULL), 0);
    assert_non_null(strstr(o.out, "Date:        Sat 12 Dec 2026 20:30 EST"));
    assert_non_null(strstr(o.out, "Purchased:   Sun 29 Nov 2026 05:00 EST"));
    stub_cli_free(&o);
    unsetenv("TZ");
    stub_stop(s);
}

static void list_json_parses_with_exact_prices(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, CONCERTS);
    assert_int_equal(stub_cli_run(s, "k", &o, "list", "--json", "--filter", "HARPA", NULL), 0);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "id")->valuestring, "c-1");
    assert_non_null(strstr(o.out, "49.99"));
    assert_null(strstr(o.out, "49.99000"));
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void show_unknown_is_4(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 404, "{\"error\":\"Concert not found\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "show", "nope", NULL), CLI_EXIT_NOT_FOUND);
    assert_non_null(strstr(o.err, "HTTP 404"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void buy_prints_a_receipt(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, GOOD_C1); /* the check that the record is sound before selling */
    stub_push(s, 201, "{\"id\":\"t-1\"}");
    stub_push(s, 200, "{\"id\":\"c-1\",\"name\":\"Björk\",\"date\":\"2026-12-01\",\"venue\":\"Harpa\",\"availableTickets\":11,\"ticketPrice\":49.99}");
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "c-1", "--name", "Ada Lovelace", "--email", "ada@example.com", NULL), 0);
    assert_non_null(strstr(o.out, "t-1"));
    assert_non_null(strstr(o.out, "Björk"));
    assert_non_null(strstr(o.out, "Ada Lovelace"));
    assert_int_equal(stub_request_count(s), 3);
    assert_string_equal(stub_request_at(s, 1)->method, "POST");
    stub_cli_free(&o);
    stub_stop(s);
}

/* True when s holds no byte a terminal would act on: C0 (but new line, tab), DEL, C1, bidi controls. */
static bool terminal_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            return false;
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0)
            return false;
        if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xAE || p[2] == 0xAA || p[2] == 0xAB || p[2] == 0xAC || p[2] == 0xAD))
            return false;
    }
    return true;
}

static void list_marks_bad_records_and_lists_the_rest(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, BAD_CONCERTS);
    assert_int_equal(stub_cli_run(s, "k", &o, "list", NULL), 0);
    assert_true(terminal_safe(o.out));
    assert_non_null(strstr(o.out, "Björk"));
    assert_non_null(strstr(o.out, "6 concerts; 5 damaged"));
    assert_non_null(strstr(o.out, "! neg-seats: availableTickets: negative (-5)"));
    assert_non_null(strstr(o.out, "! huge-price: ticketPrice: over 1,000,000.00"));
    assert_non_null(strstr(o.out, "! bidiid: id: "));
    assert_non_null(strstr(o.out, "! srv: availableTickets: 9007199254740993 cannot be represented"));
    stub_cli_free(&o);

    stub_push(s, 200, BAD_CONCERTS);
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "list", NULL), 0);
    assert_true(terminal_safe(o.out));
    assert_non_null(strstr(o.out, "\"bidi\\u202eid\""));     /* escaped, not dropped: still the exact id */
    assert_non_null(strstr(o.out, "\"esc\\u001b[31mid\""));
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetArraySize(j), 6);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "problems"));
    cJSON *neg = cJSON_GetArrayItem(j, 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(neg, "availableTickets")));
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(neg, "problems"), 0)->valuestring,
                        "availableTickets: negative (-5)");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 3), "id")->valuestring, "bidi\xe2\x80\xae" "id");
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void show_prints_ids_clean_and_json_whole(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"id\":\"bidi\\u202eid\",\"name\":\"Bidi\",\"date\":\"2027-01-04\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":10}");
    assert_int_equal(stub_cli_run(s, "k", &o, "show", "bidi\xe2\x80\xae" "id", NULL), 0);
    assert_true(terminal_safe(o.out));
    assert_non_null(strstr(o.out, "ID:          bidiid\n"));
    assert_non_null(strstr(o.out, "Not for sale"));
    stub_cli_free(&o);
    /* a 10,000-character name comes back whole */
    size_t n = 10000;
    char *body = malloc(n + 256), *name = malloc(n + 1);
    assert_non_null(body);
    assert_non_null(name);
    for (size_t i = 0; i < n; i++)
        name[i] = (char)('A' + i % 26);
    name[n] = '\0';
    snprintf(body, n + 256, "{\"id\":\"long\",\"name\":\"%s\",\"date\":\"2099-01-01\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":10}", name);
    stub_push(s, 200, body);
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "show", "long", NULL), 0);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, name);
    cJSON_Delete(j);
    stub_cli_free(&o);
    free(body);
    free(name);
    stub_stop(s);
}

static void buy_of_a_damaged_record_is_refused_before_selling(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"id\":\"neg-price\",\"name\":\"N\",\"date\":\"2027-01-04\",\"venue\":\"V\",\"availableTickets\":5,\"ticketPrice\":-10}");
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "neg-price", "--name", "Ada", "--email", "ada@example.com", NULL), CLI_EXIT_API);
    assert_non_null(strstr(o.err, "Not for sale"));
    assert_non_null(strstr(o.err, "ticketPrice: negative (-10)"));
    assert_int_equal(stub_request_count(s), 1); /* the GET only: no POST /tickets */
    assert_string_equal(stub_request_at(s, 0)->method, "GET");
    stub_cli_free(&o);
    /* the backend's own marks count the same */
    stub_push(s, 200, "{\"id\":\"srv\",\"name\":\"N\",\"date\":\"2027-01-04\",\"venue\":\"V\",\"availableTickets\":\"9007199254740993\","
                      "\"ticketPrice\":10,\"problems\":[\"availableTickets: 9007199254740993 cannot be represented\"]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "buy", "srv", "--name", "Ada", "--email", "ada@example.com", NULL), CLI_EXIT_API);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, CLI_EXIT_API);
    cJSON_Delete(j);
    assert_int_equal(stub_request_count(s), 2);
    stub_cli_free(&o);
    stub_stop(s);
}

static void buy_invalid_email_sends_nothing(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "c-1", "--name", "Ada", "--email", "not-an-address", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(o.err, "mail"));
    assert_int_equal(stub_request_count(s), 0);
    stub_cli_free(&o);
    stub_stop(s);
}

static void buy_sold_out_is_3(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, GOOD_C1);
    stub_push(s, 400, "{\"error\":\"No tickets available\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "c-2", "--name", "Ada", "--email", "ada@example.com", "--json", NULL),
                                   CLI_EXIT_SOLD_OUT);
    assert_non_null(strstr(o.err, "Sold out"));
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, 3);
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void create_outcomes(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
#define CREATE(...) stub_cli_run(s, "k", &o, "create", "--name", " Night ", "--date", "2026-12-24", "--venue", "Arena", \
                                      "--tickets", "100", "--price", "25.50", NULL)
    stub_push(s, 201, "{\"id\":\"new-1\"}");
    assert_int_equal(CREATE(), 0);
    assert_non_null(strstr(o.out, "new-1"));
    assert_non_null(strstr(stub_request_at(s, 0)->body, "\"name\":\"Night\""));
    assert_non_null(strstr(stub_request_at(s, 0)->body, "\"ticketPrice\":25.5"));
    stub_cli_free(&o);
    stub_push(s, 401, "{\"message\":\"Unauthorized: sign in as an operator (boxoffice login); an API key alone no longer authorizes\"}");
    assert_int_equal(CREATE(), CLI_EXIT_FORBIDDEN);
    /* a refused token says how to sign in */
    assert_non_null(strstr(o.err, "not signed in / session expired: boxoffice login"));
    assert_non_null(strstr(o.err, "BOXOFFICE_USER"));
    assert_non_null(strstr(o.err, "client_id in "));
    assert_non_null(strstr(o.err, "make local-up"));
    stub_cli_free(&o);
    stub_push(s, 403, "{\"error\":\"creating a concert needs the manager group\"}");
    assert_int_equal(CREATE(), CLI_EXIT_FORBIDDEN);
    assert_non_null(strstr(o.err, "needs the manager group"));
    stub_cli_free(&o);
    stub_push(s, 400, "{\"error\":\"venue is too long\"}");
    assert_int_equal(CREATE(), CLI_EXIT_API);
    assert_non_null(strstr(o.err, "venue is too long"));
    stub_cli_free(&o);
    stub_push(s, 503, "{\"error\":\"Service unavailable\"}");
    assert_int_equal(CREATE(), CLI_EXIT_UNAVAILABLE);
    stub_cli_free(&o);
#undef CREATE
    size_t before = stub_request_count(s);
    assert_int_equal(stub_cli_run(s, "k", &o, "create", "--name", "N", "--date", "2026-02-30", "--venue", "V",
                                       "--tickets", "1", "--price", "1", NULL), CLI_EXIT_USAGE);
    stub_cli_free(&o);
    assert_int_equal(stub_cli_run(s, "k", &o, "create", "--name", "N", "--date", "2026-02-01", "--venue", "V",
                                       "--tickets", "1", "--price", "1.999", NULL), CLI_EXIT_USAGE);
    stub_cli_free(&o);
    assert_int_equal(stub_request_count(s), before);
    stub_stop(s);
}

static void unreachable_is_6(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", stub_closed_port());
    cli_args a;
    char e[512];
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "list", NULL), 0);
    api_config cfg = { .base_url = url };
    char *err_text = NULL;
    size_t n = 0;
    FILE *err = open_memstream(&err_text, &n);
    assert_int_equal(cli_run(&a, &cfg, stdout, err), CLI_EXIT_UNAVAILABLE);
    fclose(err);
    assert_non_null(strstr(err_text, "unreachable"));
    /* the URL tried and what to do about it */
    assert_non_null(strstr(err_text, url));
    assert_non_null(strstr(err_text, "make local-up"));
    assert_non_null(strstr(err_text, "BOXOFFICE_API_URL"));
    free(err_text);
}

/* A concert whose start lies more than the grace in the past is not sold without --past: nothing is sent;
 * with --past it is sold, and an unconfirmed retry's command keeps the flag. */
static void buy_and_order_of_a_past_concert_need_past(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char past[300], when[40];
    time_t t = time(NULL) - 2 * 24 * 3600;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    snprintf(past, sizeof past, "{\"id\":\"c-p\",\"name\":\"Gone\",\"date\":\"%s\",\"venue\":\"V\","
             "\"availableTickets\":5,\"ticketPrice\":10,\"timezone\":\"Europe/Vienna\"}", when);
    stub_push(s, 200, past);
    assert_int_equal(stub_cli_run(s, NULL, &o, "buy", "c-p", "--name", "Ada", "--email", "ada@example.org", NULL),
                     CLI_EXIT_API);
    assert_non_null(strstr(o.err, "this concert was on"));
    assert_non_null(strstr(o.err, "--past"));
    assert_int_equal(stub_request_count(s), 1); /* the read only */
    stub_push(s, 200, past);
    assert_int_equal(stub_cli_run(s, "k", &o, "order", "c-p", "--quantity", "2", "--pay", "cash", NULL), CLI_EXIT_API);
    assert_non_null(strstr(o.err, "--past"));
    assert_int_equal(stub_request_count(s), 2);
    /* within the grace (started an hour ago): sold as any other */
    t = time(NULL) - 3600;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    char recent[300];
    snprintf(recent, sizeof recent, "{\"id\":\"c-r\",\"name\":\"Now\",\"date\":\"%s\",\"venue\":\"V\","
             "\"availableTickets\":5,\"ticketPrice\":10}", when);
    stub_push(s, 200, recent);
    stub_push(s, 201, "{\"id\":\"t-9\"}");
    stub_push(s, 200, recent);
    assert_int_equal(stub_cli_run(s, NULL, &o, "buy", "c-r", "--name", "Ada", "--email", "ada@example.org", NULL), 0);
    /* --past: sold; no answer: the retry command carries --past */
    stub_push(s, 200, past);
    for (int i = 0; i < 2; i++)
        stub_push(s, 503, "{\"error\":\"try again\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "buy", "c-p", "--name", "Ada", "--email", "ada@example.org", "--past",
                                  "--idempotency-key", "k-past", NULL), CLI_EXIT_UNCONFIRMED);
    assert_non_null(strstr(o.err, "--idempotency-key k-past --past"));
    stub_push(s, 200, past);
    stub_push(s, 201, "{\"id\":\"t-8\"}");
    stub_push(s, 200, past);
    assert_int_equal(stub_cli_run(s, NULL, &o, "buy", "c-p", "--name", "Ada", "--email", "ada@example.org", "--past",
                                  NULL), 0);
    assert_non_null(strstr(o.out, "t-8"));
    stub_cli_free(&o);
    stub_stop(s);
}

/* The sale got no answer: exit 7, and the command that re-sends it with the same key, on stderr and in JSON. */
static void buy_without_an_answer_prints_the_resolving_command(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char k[300];
    stub_push(s, 200, GOOD_C1); /* the check that the record is sound before selling */
    for (int i = 0; i < 2; i++)
        stub_push(s, 503, "{\"error\":\"Could not purchase ticket, please try again\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "buy", "c-1", "--name", "Alan O'Brien", "--email", "alan@example.org",
                                       "--idempotency-key", "sale-7", NULL), CLI_EXIT_UNCONFIRMED);
    assert_true(stub_header(stub_request_at(s, 1), "Idempotency-Key", k, sizeof k));
    assert_string_equal(k, "sale-7");
    assert_non_null(strstr(o.err, "NOT CONFIRMED"));
    char want[512];
    snprintf(want, sizeof want, "boxoffice --api-url %s buy c-1 --name 'Alan O'\\''Brien' --email alan@example.org "
             "--idempotency-key sale-7", stub_base_url(s));
    assert_non_null(strstr(o.err, want));
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "unconfirmed")));
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, CLI_EXIT_UNCONFIRMED);
    assert_string_equal(cJSON_GetObjectItem(j, "idempotencyKey")->valuestring, "sale-7");
    assert_string_equal(cJSON_GetObjectItem(j, "retryCommand")->valuestring, want);
    cJSON_Delete(j);
    stub_cli_free(&o);
    /* without a key given, the one generated is the one printed; and a check read that gets no definite
     * answer (here a 502) does not stop the sale: the sale reports its own outcome */
    for (int i = 0; i < 3; i++)
        stub_push(s, 502, "{\"message\":\"Internal server error\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "buy", "c-1", "--name", "Ada", "--email", "ada@example.org", NULL), CLI_EXIT_UNCONFIRMED);
    assert_true(stub_header(stub_request_at(s, 4), "Idempotency-Key", k, sizeof k));
    char tail[320];
    snprintf(tail, sizeof tail, "--idempotency-key %s\n", k);
    assert_non_null(strstr(o.err, tail));
    stub_cli_free(&o);
    stub_stop(s);
}

static void buy_command_quotes_for_the_shell(void **state)
{
    (void)state;
    char out[CLI_BUY_COMMAND_MAX];
    assert_true(cli_buy_command(out, sizeof out, NULL, "c-1", "Zoë $(rm -rf /) `x`", "a@b.org", "k;1", false));
    assert_string_equal(out, "boxoffice buy c-1 --name 'Zoë $(rm -rf /) `x`' --email a@b.org --idempotency-key 'k;1'");
    assert_true(cli_buy_command(out, sizeof out, "http://h:1/dev", "c 2", "it's", "e@x.org", "k", false));
    assert_string_equal(out, "boxoffice --api-url http://h:1/dev buy 'c 2' --name 'it'\\''s' --email e@x.org --idempotency-key k");
    assert_false(cli_buy_command(out, 20, NULL, "c-1", "Ada", "a@b.org", "k", false));
    assert_string_equal(out, "");
    /* a past concert's sale is re-sent with --past, which the CLI needs to send it at all */
    assert_true(cli_buy_command(out, sizeof out, NULL, "c-1", "Ada", "a@b.org", "k", true));
    assert_string_equal(out, "boxoffice buy c-1 --name Ada --email a@b.org --idempotency-key k --past");
}

static void idempotency_key_and_timeout_options(void **state)
{
    (void)state;
    cli_args a;
    char e[512];
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "buy", "c-1", "--name", "A", "--email", "a@b.org", "--idempotency-key",
                                    "abc-1", "--timeout", "3", NULL), 0);
    assert_string_equal(a.idem_key, "abc-1");
    assert_int_equal(a.timeout_s, 3);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "buy", "c-1", "--name", "A", "--email", "a@b.org", NULL), 0);
    assert_null(a.idem_key);
    assert_int_equal(a.timeout_s, 0);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "buy", "c-1", "--name", "A", "--email", "a@b.org", "--idempotency-key",
                                    "has space", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "list", "--idempotency-key", "k", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "list", "--timeout", "0", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--timeout", "5", NULL), 0); /* the interactive mode too */
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_subcommand_is_the_ui),
        cmocka_unit_test(options_may_follow_the_subcommand),
        cmocka_unit_test(kiosk_refuses_the_inspector),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(config_command_never_prints_the_key),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(exit_codes_per_status),
        cmocka_unit_test(list_prints_a_sanitised_table),
        cmocka_unit_test(list_json_parses_with_exact_prices),
        cmocka_unit_test(show_unknown_is_4),
        cmocka_unit_test(list_and_buy_show_times_in_the_venues_zone),
        cmocka_unit_test(buy_prints_a_receipt),
        cmocka_unit_test(list_marks_bad_records_and_lists_the_rest),
        cmocka_unit_test(show_prints_ids_clean_and_json_whole),
        cmocka_unit_test(buy_of_a_damaged_record_is_refused_before_selling),
        cmocka_unit_test(buy_invalid_email_sends_nothing),
        cmocka_unit_test(buy_sold_out_is_3),
        cmocka_unit_test(create_outcomes),
        cmocka_unit_test(unreachable_is_6),
        cmocka_unit_test(buy_and_order_of_a_past_concert_need_past),
        cmocka_unit_test(buy_without_an_answer_prints_the_resolving_command),
        cmocka_unit_test(buy_command_quotes_for_the_shell),
        cmocka_unit_test(idempotency_key_and_timeout_options),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
