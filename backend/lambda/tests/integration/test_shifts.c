/* Shifts and the journal against DynamoDB Local, through the handlers (issue 18): a cashier's day (float, cash
 * sale with change, card, comp, a cash refund, a drop, a paid-out, the X report, a blind close refused without a
 * note and not telling the expected amount, the Z with its number and hash), the report's figures against the
 * orders, refunds and journal entries in the tables, the hash chain recomputed with common/'s code, the refusals
 * (a second open, cash without a shift, another operator's shift, a closed shift), one journal entry per write and
 * none for a refused one, concurrent sales on one shift (gapless seq), two closes at once (one Z, the same answer),
 * the day sheet as JSON and CSV, GET /journal's paging and who may read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_journal_hash.h"
#include "bo_money.h"
#include "ddb.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "store.h"

static char concerts_table[128], tickets_table[128], orders_table[128], codes_table[128];
static ddb_client *raw;
static store *st;

/* Operators as API Gateway hands their claims over (handler_req's sub, groups, name, email). */
typedef struct who {
    const char *sub, *groups, *name, *email;
} who;
static const who ana = { "sub-ana", "cashier", "Ana", "ana@example.com" };
static const who ben = { "sub-ben", "cashier", "Ben", NULL };
static const who mia = { "sub-mia", "manager", "Mia", NULL };
static const who dora = { "sub-dora", "door", "Dora", NULL };
#define ANA (&ana)
#define BEN (&ben)
#define MIA (&mia)
#define DOOR (&dora)

typedef handler_answer answer;

static int create_codes_table(const char *name)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"code\",\"AttributeType\":\"S\"}],"
             "\"KeySchema\":[{\"AttributeName\":\"code\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
             name);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status s = ddb_call(raw, "CreateTable", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    return s == DDB_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-shift", concerts_table, tickets_table, sizeof concerts_table))
        return -1;
    ddb_test_table_name(orders_table, sizeof orders_table, "it-shift-orders");
    ddb_test_table_name(codes_table, sizeof codes_table, "it-shift-codes");
    if (ddb_test_create_table(raw, orders_table) || create_codes_table(codes_table))
        return -1;
    setenv("ORDERS_TABLE", orders_table, 1);
    setenv("CODES_TABLE", codes_table, 1);
    unsetenv("DEFAULT_CURRENCY");
    st = ddb_test_store_open(concerts_table, tickets_table);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    ddb_test_delete_table(raw, orders_table);
    ddb_test_delete_table(raw, codes_table);
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

static answer call_on(store *s, handler_fn fn, const who *claims, const char *body, const char *param,
                      const char *value, const char *idem, const char *query)
{
    handler_req q = { .body = body, .param = param, .value = value, .idem = idem, .query = query };
    if (claims) {
        q.sub = claims->sub;
        q.groups = claims->groups;
        q.name = claims->name;
        q.email = claims->email;
    }
    return handler_call_on(s, fn, &q);
}

static answer call(handler_fn fn, const who *claims, const char *body, const char *id, const char *idem)
{
    return call_on(st, fn, claims, body, id ? "id" : NULL, id, idem, NULL);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(it))
        fail_msg("%s is not a number", k);
    return it->valuedouble;
}

static void expect(answer *a, int status, const char *error)
{
    if (a->status != status || (error && (!a->body || !jstr(a->body, "error") || strcmp(jstr(a->body, "error"), error))))
        fail_msg("expected %d %s, got %d %s", status, error ? error : "", a->status, a->text ? a->text : "");
}

static int scan_count(const char *table)
{
    int total = 0;
    cJSON *start = NULL;
    do {
        cJSON *req = cJSON_CreateObject();
        cJSON_AddStringToObject(req, "TableName", table);
        cJSON_AddStringToObject(req, "Select", "COUNT");
        if (start)
            cJSON_AddItemToObject(req, "ExclusiveStartKey", start);
        cJSON *resp = NULL;
        ddb_error err;
        if (ddb_call(raw, "Scan", req, &resp, &err) != DDB_OK)
            fail_msg("Scan: %s", err.message);
        cJSON_Delete(req);
        total += cJSON_GetObjectItem(resp, "Count")->valueint;
        cJSON *lek = cJSON_GetObjectItem(resp, "LastEvaluatedKey");
        start = lek ? cJSON_Duplicate(lek, 1) : NULL;
        cJSON_Delete(resp);
    } while (start);
    return total;
}

static int journal_count(void)
{
    return scan_count(ddb_test_table_of(STORE_T_JOURNAL));
}

static const cJSON *cur0(const cJSON *shift)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(shift, "report"), "currencies"), 0);
}

static const char *sub2(const cJSON *o, const char *a, const char *b)
{
    return jstr(cJSON_GetObjectItem(o, a), b);
}

static void create_concert(int seats, const char *price, char out[STORE_ID_MAX + 1])
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"Shift night\",\"date\":\"2094-12-24T20:00:00Z\",\"venue\":\"Hall\","
             "\"availableTickets\":%d,\"ticketPrice\":%s,\"currency\":\"EUR\"}", seats, price);
    answer a = call(handler_create_concert, MIA, body, NULL, NULL);
    expect(&a, 201, NULL);
    snprintf(out, STORE_ID_MAX + 1, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
}

static answer sell(store *s, const who *claims, const char *cid, int q, const char *pay, const char *shift_id)
{
    char body[768];
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"quantity\":%d,\"payment\":%s%s%s%s}", cid, q, pay,
             shift_id ? ",\"shiftId\":\"" : "", shift_id ? shift_id : "", shift_id ? "\"" : "");
    return call_on(s, handler_create_order, claims, body, NULL, NULL, NULL, NULL);
}

/* All the entries of GET /journal?shift=id, read by claims in pages of 3: a new array. */
static cJSON *shift_journal(const who *claims, const char *id)
{
    cJSON *all = cJSON_CreateArray();
    char cursor[4200] = "";
    for (int pages = 0; pages < 50; pages++) {
        char query[4400];
        snprintf(query, sizeof query, "{\"shift\":\"%s\",\"limit\":\"3\"%s%s%s}", id, cursor[0] ? ",\"cursor\":\"" : "",
                 cursor, cursor[0] ? "\"" : "");
        answer a = call_on(st, handler_get_journal, claims, NULL, NULL, NULL, NULL, query);
        expect(&a, 200, NULL);
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(a.body, "entries"))
            cJSON_AddItemToArray(all, cJSON_Duplicate(e, 1));
        const char *c = jstr(a.body, "cursor");
        snprintf(cursor, sizeof cursor, "%s", c ? c : "");
        handler_answer_clear(&a);
        if (!cursor[0])
            return all;
    }
    fail_msg("journal paging does not end");
    return all;
}

/* The Z hash recomputed from the entries as GET /journal gives them (as `boxoffice shift verify` does). */
static void recompute(const cJSON *entries, char out[BO_JHASH_HEX])
{
    bo_jhash_init(out);
    const cJSON *e;
    cJSON_ArrayForEach(e, entries) {
        const cJSON *count = cJSON_GetObjectItem(e, "count");
        bo_jfields f = { .seq = (long long)jnum(e, "seq"), .id = jstr(e, "id"), .at = jstr(e, "at"),
                         .type = jstr(e, "type"), .operator_sub = sub2(e, "operator", "sub"),
                         .terminal = jstr(e, "terminal"), .shift_id = jstr(e, "shiftId"),
                         .concert_id = jstr(e, "concertId"), .order_id = jstr(e, "orderId"),
                         .currency = jstr(e, "currency"), .amount = jstr(e, "amount"),
                         .has_count = cJSON_IsNumber(count), .count = cJSON_IsNumber(count) ? (long long)count->valuedouble : 0 };
        assert_int_equal(bo_jhash_step(out, &f, out), 0);
    }
}

/* Sum of the order items of a shift by payment method, and of their refunds by method (from the tables). */
static void table_figures(const char *shift_id, int64_t sales[3], int64_t refunds[3], int *orders)
{
    memset(sales, 0, 3 * sizeof sales[0]);
    memset(refunds, 0, 3 * sizeof refunds[0]);
    *orders = 0;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", orders_table);
    cJSON_AddStringToObject(req, "FilterExpression", "shiftId = :s");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "ExpressionAttributeValues"), ":s"),
                            "S", shift_id);
    cJSON *resp = NULL;
    ddb_error err;
    if (ddb_call(raw, "Scan", req, &resp, &err) != DDB_OK)
        fail_msg("Scan: %s", err.message);
    cJSON_Delete(req);
    static const char *const methods[] = { "cash", "card", "comp" };
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(resp, "Items")) {
        const char *m = jstr(cJSON_GetObjectItem(it, "paymentMethod"), "S");
        int64_t total;
        assert_int_equal(bo_money_parse_upto(jstr(cJSON_GetObjectItem(it, "total"), "N"), BO_AMOUNT_MAX_CENTS, &total), 0);
        for (int k = 0; k < 3; k++)
            if (strcmp(m, methods[k]) == 0)
                sales[k] += total;
        (*orders)++;
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(cJSON_GetObjectItem(it, "refunds"), "L")) {
            const cJSON *mm = cJSON_GetObjectItem(r, "M");
            int64_t amount;
            assert_int_equal(bo_money_parse_upto(jstr(cJSON_GetObjectItem(mm, "amount"), "N"), BO_AMOUNT_MAX_CENTS,
                                                 &amount), 0);
            const char *rm = jstr(cJSON_GetObjectItem(mm, "method"), "S");
            for (int k = 0; k < 3; k++)
                if (strcmp(rm, methods[k]) == 0)
                    refunds[k] += amount;
        }
    }
    cJSON_Delete(resp);
}

static void a_cashiers_day(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1], sid[64], cash_order[64], card_order[64], card_ticket[64], card_code[64];
    int j0 = journal_count();
    create_concert(100, "12.5", cid);
    assert_int_equal(journal_count(), j0 + 1); /* concert.created */

    /* cash without a shift: refused, nothing written */
    int j = journal_count(), orders_before = scan_count(orders_table);
    answer a = sell(st, ANA, cid, 1, "{\"method\":\"cash\"}", NULL);
    expect(&a, 409, "a cash sale needs an open shift: open one first");
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j);
    assert_int_equal(scan_count(orders_table), orders_before);

    /* open with a float of 100.00 */
    a = call(handler_open_shift, ANA, "{\"terminal\":\"window-2\",\"float\":{\"EUR\":\"100.00\"}}", NULL, "open-ana-1");
    expect(&a, 201, NULL);
    snprintf(sid, sizeof sid, "%s", jstr(a.body, "id"));
    assert_string_equal(jstr(a.body, "status"), "open");
    assert_string_equal(sub2(a.body, "operator", "name"), "Ana");
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "report"), "kind"), "X");
    assert_string_equal(jstr(cur0(a.body), "float"), "100.00");
    assert_null(strstr(a.text, "ana@example.com"));
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 1);
    /* the same request again: the same shift; another open: 409 with the open one */
    a = call(handler_open_shift, ANA, "{\"terminal\":\"window-2\",\"float\":{\"EUR\":\"100.00\"}}", NULL, "open-ana-1");
    expect(&a, 201, NULL);
    assert_true(a.replayed);
    assert_string_equal(jstr(a.body, "id"), sid);
    handler_answer_clear(&a);
    a = call(handler_open_shift, ANA, "{\"terminal\":\"window-3\",\"float\":{\"EUR\":\"10.00\"}}", NULL, NULL);
    expect(&a, 409, "you already have an open shift");
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "shift"), "id"), sid);
    handler_answer_clear(&a);
    a = call(handler_current_shift, ANA, NULL, NULL, NULL);
    expect(&a, 200, NULL);
    assert_string_equal(jstr(a.body, "id"), sid);
    handler_answer_clear(&a);
    a = call(handler_current_shift, BEN, NULL, NULL, NULL);
    expect(&a, 404, "no open shift");
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 1);

    /* the day: cash 2 x 12.50 with 30.00 tendered, card 1, comp 2, a cash refund of 1, a drop, a paid-out */
    j = journal_count();
    a = sell(st, ANA, cid, 2, "{\"method\":\"cash\",\"tendered\":\"30.00\"}", sid);
    expect(&a, 201, NULL);
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "payment"), "change"), "5.00");
    assert_string_equal(jstr(a.body, "soldBy"), "Ana");
    assert_string_equal(sub2(a.body, "operator", "sub"), "sub-ana");
    assert_string_equal(jstr(a.body, "shiftId"), sid);
    assert_string_equal(jstr(a.body, "terminal"), "window-2");
    snprintf(cash_order, sizeof cash_order, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
    /* measured: the items one order of 4 tickets writes (the transaction's items that put or update one each) */
    int o0 = scan_count(orders_table), t0 = scan_count(tickets_table), k0 = scan_count(codes_table), jj = journal_count();
    a = sell(st, ANA, cid, 4, "{\"method\":\"card\"}", sid);
    expect(&a, 201, NULL);
    snprintf(card_order, sizeof card_order, "%s", jstr(a.body, "id"));
    const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 0);
    snprintf(card_ticket, sizeof card_ticket, "%s", jstr(t, "id"));
    snprintf(card_code, sizeof card_code, "%s", jstr(t, "code"));
    handler_answer_clear(&a);
    int puts = (scan_count(orders_table) - o0) + (scan_count(tickets_table) - t0) + (scan_count(codes_table) - k0) +
               (journal_count() - jj);
    print_message("order of 4 tickets on a shift: %d items put + the concert's and the shift's updates = %d "
                  "TransactItems (without the journal and the shift: %d)\n", puts, puts + 2, 2 + 2 * 4);
    assert_int_equal(puts + 2, 2 + 2 * 4 + 2);
    a = sell(st, ANA, cid, 2, "{\"method\":\"comp\"}", sid);
    expect(&a, 201, NULL);
    handler_answer_clear(&a);
    char body[512];
    a = call(handler_get_order, ANA, NULL, cash_order, NULL);
    snprintf(body, sizeof body, "{\"reason\":\"changed plans\",\"ticketIds\":[\"%s\"],\"shiftId\":\"%s\"}",
             jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 0), "id"), sid);
    handler_answer_clear(&a);
    a = call(handler_refund_order, ANA, "{\"reason\":\"changed plans\"}", cash_order, NULL);
    expect(&a, 409, "a cash sale needs an open shift: open one first"); /* cash back needs the shift */
    handler_answer_clear(&a);
    a = call(handler_refund_order, ANA, body, cash_order, "refund-1");
    expect(&a, 200, NULL);
    const cJSON *rf = cJSON_GetObjectItem(a.body, "refund");
    assert_string_equal(jstr(rf, "by"), "Ana");
    assert_string_equal(sub2(rf, "operator", "sub"), "sub-ana");
    assert_string_equal(jstr(rf, "shiftId"), sid);
    assert_string_equal(jstr(rf, "terminal"), "window-2"); /* the shift's, as none was named */
    handler_answer_clear(&a);
    a = call(handler_shift_drop, ANA, "{\"amount\":\"50.00\",\"currency\":\"EUR\",\"note\":\"to safe\"}", sid, NULL);
    expect(&a, 201, NULL);
    handler_answer_clear(&a);
    a = call(handler_shift_paidout, ANA, "{\"amount\":\"7.25\",\"currency\":\"EUR\",\"note\":\"taxi\"}", sid, NULL);
    expect(&a, 201, NULL);
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 6);
    /* check-in at the door and its undo: one entry each, no shift */
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"n-1\",\"door\":\"North\"}", card_code, cid);
    a = call(handler_checkin, DOOR, body, NULL, NULL);
    expect(&a, 200, NULL);
    handler_answer_clear(&a);
    a = call_on(st, handler_undo_checkin, MIA, NULL, "ticketId", card_ticket, NULL, NULL);
    expect(&a, 200, NULL);
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 8);

    /* an online order: journaled too, without an operator */
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"quantity\":1,\"customerName\":\"Pat Online\","
             "\"customerEmail\":\"pat@example.com\"}", cid);
    a = call(handler_create_order, NULL, body, NULL, NULL);
    expect(&a, 201, NULL);
    assert_string_equal(jstr(a.body, "soldBy"), "public");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a.body, "operator")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a.body, "shiftId")));
    char online_order[64], cq[192];
    snprintf(online_order, sizeof online_order, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 9);
    snprintf(cq, sizeof cq, "{\"concert\":\"%s\"}", cid);
    a = call_on(st, handler_get_journal, MIA, NULL, NULL, NULL, NULL, cq);
    expect(&a, 200, NULL);
    const cJSON *last = NULL, *en;
    cJSON_ArrayForEach(en, cJSON_GetObjectItem(a.body, "entries"))
        last = en;
    /* created, cash, card, comp, the refund, check-in, undo, online */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a.body, "entries")), 8);
    assert_string_equal(jstr(last, "orderId"), online_order);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(last, "operator")));
    assert_non_null(strstr(jstr(last, "detail"), "online"));
    assert_null(strstr(a.text, "pat@example.com"));
    handler_answer_clear(&a);

    /* the X report */
    a = call(handler_get_shift, ANA, NULL, sid, NULL);
    expect(&a, 200, NULL);
    const cJSON *c = cur0(a.body), *rep = cJSON_GetObjectItem(a.body, "report");
    assert_string_equal(jstr(rep, "kind"), "X");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(rep, "hash")));
    assert_string_equal(sub2(c, "sales", "cash"), "25.00");
    assert_string_equal(sub2(c, "sales", "card"), "50.00");
    assert_string_equal(sub2(c, "sales", "other"), "0.00");
    assert_int_equal((int)jnum(c, "orders"), 3);
    assert_int_equal((int)jnum(c, "comps"), 1);
    assert_int_equal((int)jnum(c, "compTickets"), 2);
    assert_string_equal(sub2(c, "refunds", "cash"), "12.50");
    assert_int_equal((int)jnum(c, "refundCount"), 1);
    assert_string_equal(jstr(c, "drops"), "50.00");
    assert_string_equal(jstr(c, "paidOuts"), "7.25");
    assert_string_equal(jstr(c, "expectedCash"), "55.25"); /* 100 + 25 - 12.50 - 50 - 7.25 */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "counted")));
    assert_int_equal((int)jnum(rep, "entries"), 7);
    handler_answer_clear(&a);
    /* the figures are the tables' */
    int64_t sales[3], refunds[3];
    int n_orders;
    table_figures(sid, sales, refunds, &n_orders);
    assert_int_equal(sales[0], 2500);
    assert_int_equal(sales[1], 5000);
    assert_int_equal(sales[2], 0);
    assert_int_equal(refunds[0], 1250);
    assert_int_equal(n_orders, 3);

    /* another operator: not theirs */
    j = journal_count();
    a = call(handler_shift_drop, BEN, "{\"amount\":\"5.00\",\"currency\":\"EUR\"}", sid, NULL);
    expect(&a, 403, "shift belongs to another operator");
    handler_answer_clear(&a);
    a = sell(st, BEN, cid, 1, "{\"method\":\"cash\"}", sid);
    expect(&a, 409, "shift belongs to another operator");
    handler_answer_clear(&a);
    a = call(handler_get_shift, BEN, NULL, sid, NULL);
    expect(&a, 403, "another operator's shift needs the manager group");
    handler_answer_clear(&a);
    a = call(handler_get_shift, MIA, NULL, sid, NULL);
    expect(&a, 200, NULL);
    handler_answer_clear(&a);
    a = call(handler_close_shift, BEN, "{\"counted\":{\"EUR\":\"55.25\"}}", sid, NULL);
    expect(&a, 403, "shift belongs to another operator");
    handler_answer_clear(&a);
    /* the blind close: 0.50 short without a note is refused without telling the expected amount */
    a = call(handler_close_shift, ANA, "{\"counted\":{\"EUR\":\"54.75\"}}", sid, "close-ana-1");
    expect(&a, 400, "note is required when counted differs from expected");
    assert_null(strstr(a.text, "55.25"));
    handler_answer_clear(&a);
    a = call(handler_close_shift, ANA, "{\"counted\":{\"USD\":\"54.75\"},\"note\":\"x\"}", sid, NULL);
    expect(&a, 400, "counted names a currency the shift does not hold");
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j);
    a = call(handler_close_shift, ANA, "{\"counted\":{\"EUR\":\"54.75\"},\"note\":\"coin dropped\"}", sid, "close-ana-1");
    expect(&a, 200, NULL);
    c = cur0(a.body);
    rep = cJSON_GetObjectItem(a.body, "report");
    assert_string_equal(jstr(a.body, "status"), "closed");
    assert_string_equal(jstr(rep, "kind"), "Z");
    assert_int_equal((int)jnum(rep, "z"), 1);
    assert_string_equal(jstr(c, "counted"), "54.75");
    assert_string_equal(jstr(c, "difference"), "-0.50");
    assert_string_equal(jstr(rep, "note"), "coin dropped");
    assert_int_equal((int)jnum(rep, "entries"), 8);
    char hash[BO_JHASH_HEX];
    snprintf(hash, sizeof hash, "%s", jstr(rep, "hash"));
    assert_int_equal((int)strlen(hash), 64);
    char *first = strdup(a.text);
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 1);
    /* replayed with its key: the same Z; otherwise closed */
    a = call(handler_close_shift, ANA, "{\"counted\":{\"EUR\":\"54.75\"},\"note\":\"coin dropped\"}", sid, "close-ana-1");
    expect(&a, 200, NULL);
    assert_true(a.replayed);
    assert_string_equal(a.text, first);
    handler_answer_clear(&a);
    free(first);
    a = call(handler_close_shift, ANA, "{\"counted\":{\"EUR\":\"54.75\"},\"note\":\"again\"}", sid, "close-ana-2");
    expect(&a, 409, "shift is closed");
    handler_answer_clear(&a);
    /* a closed shift takes nothing */
    a = call(handler_shift_drop, ANA, "{\"amount\":\"5.00\",\"currency\":\"EUR\"}", sid, NULL);
    expect(&a, 409, "shift is closed");
    handler_answer_clear(&a);
    a = sell(st, ANA, cid, 1, "{\"method\":\"cash\"}", sid);
    expect(&a, 409, "shift is not open");
    handler_answer_clear(&a);
    assert_int_equal(journal_count(), j + 1);

    /* the journal of the shift: seq 1..8 gapless, the types in order, the hash recomputed by common/'s code */
    a = call_on(st, handler_get_journal, BEN, NULL, NULL, NULL, NULL, "{\"shift\":\"x\"}");
    expect(&a, 403, "another operator's journal needs the manager group");
    handler_answer_clear(&a);
    cJSON *entries = shift_journal(MIA, sid);
    static const char *const types[] = { "shift.opened", "order.created", "order.created", "order.created",
                                         "order.refunded", "shift.drop", "shift.paidout", "shift.closed" };
    assert_int_equal(cJSON_GetArraySize(entries), 8);
    for (int i = 0; i < 8; i++) {
        const cJSON *e = cJSON_GetArrayItem(entries, i);
        assert_int_equal((int)jnum(e, "seq"), i + 1);
        assert_string_equal(jstr(e, "type"), types[i]);
        assert_string_equal(sub2(e, "operator", "sub"), "sub-ana");
    }
    char *all = cJSON_PrintUnformatted(entries);
    assert_null(strstr(all, "ana@example.com"));
    assert_null(strstr(all, card_code));
    free(all);
    char again[BO_JHASH_HEX];
    recompute(entries, again);
    assert_string_equal(again, hash);
    cJSON_Delete(entries);
    /* the owner reads their own shift's entries too */
    entries = shift_journal(ANA, sid);
    assert_int_equal(cJSON_GetArraySize(entries), 8);
    cJSON_Delete(entries);

    /* the day sheet: JSON and CSV, manager only */
    char day[11], query[64];
    a = call(handler_get_shift, MIA, NULL, sid, NULL);
    snprintf(day, sizeof day, "%.10s", jstr(a.body, "openedAt"));
    handler_answer_clear(&a);
    snprintf(query, sizeof query, "{\"day\":\"%s\"}", day);
    a = call_on(st, handler_day_sheet, ANA, NULL, NULL, NULL, NULL, query);
    expect(&a, 403, "the day sheet needs the manager group");
    handler_answer_clear(&a);
    a = call_on(st, handler_day_sheet, MIA, NULL, NULL, NULL, NULL, query);
    expect(&a, 200, NULL);
    assert_string_equal(jstr(a.body, "day"), day);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(a.body, "shifts")) >= 1);
    handler_answer_clear(&a);
    snprintf(query, sizeof query, "{\"day\":\"%s\",\"format\":\"csv\"}", day);
    apigw_event ev;
    char evtext[512];
    snprintf(evtext, sizeof evtext,
             "{\"queryStringParameters\":%s,\"requestContext\":{\"identity\":{},\"authorizer\":{\"claims\":"
             "{\"sub\":\"%s\",\"cognito:groups\":\"%s\",\"name\":\"%s\"}}}}",
             query, MIA->sub, MIA->groups, MIA->name);
    assert_int_equal(apigw_event_parse(evtext, strlen(evtext), &ev), 0);
    handler_result r;
    memset(&r, 0, sizeof r);
    handler_day_sheet(st, &ev, &r);
    assert_int_equal(r.resp.status, 200);
    assert_non_null(r.resp.content_type);
    assert_non_null(strstr(r.resp.content_type, "text/csv"));
    assert_true(strncmp(r.resp.body, "shift,z,operator,terminal,opened,closed,currency,float,", 55) == 0);
    assert_non_null(strstr(r.resp.body, sid));
    assert_non_null(strstr(r.resp.body, ",54.75,-0.50,coin dropped\r\n"));
    char *proxy = apigw_response_json(&r.resp);
    assert_non_null(strstr(proxy, "\"Content-Type\":\"text/csv; charset=utf-8\""));
    free(proxy);
    handler_result_clear(&r);
    apigw_event_clear(&ev);

    /* the day's journal: every entry of this test, oldest first, paged */
    snprintf(query, sizeof query, "{\"day\":\"%s\",\"limit\":\"100\"}", day);
    a = call_on(st, handler_get_journal, MIA, NULL, NULL, NULL, NULL, query);
    expect(&a, 200, NULL);
    const cJSON *es = cJSON_GetObjectItem(a.body, "entries");
    assert_int_equal(cJSON_GetArraySize(es), journal_count() - j0); /* the tables are this test's own */
    for (int i = 1; i < cJSON_GetArraySize(es); i++)
        assert_true(strcmp(jstr(cJSON_GetArrayItem(es, i - 1), "at"), jstr(cJSON_GetArrayItem(es, i), "at")) <= 0);
    handler_answer_clear(&a);
    /* by operator and day: Ana's eight, nobody else's */
    snprintf(query, sizeof query, "{\"operator\":\"sub-ana\",\"day\":\"%s\"}", day);
    a = call_on(st, handler_get_journal, MIA, NULL, NULL, NULL, NULL, query);
    expect(&a, 200, NULL);
    es = cJSON_GetObjectItem(a.body, "entries");
    assert_int_equal(cJSON_GetArraySize(es), 8);
    const cJSON *one;
    cJSON_ArrayForEach(one, es)
        assert_string_equal(sub2(one, "operator", "sub"), "sub-ana");
    handler_answer_clear(&a);
    a = call_on(st, handler_get_journal, MIA, NULL, NULL, NULL, NULL, "{\"day\":\"2026-13-01\"}");
    expect(&a, 400, "day must be a date YYYY-MM-DD");
    handler_answer_clear(&a);
    a = call_on(st, handler_get_journal, MIA, NULL, NULL, NULL, NULL, "{\"shift\":\"x\",\"cursor\":\"bm90LWEta2V5\"}");
    expect(&a, 400, "Bad cursor");
    handler_answer_clear(&a);
}

/* ---- concurrency ---------------------------------------------------------------------------------- */

#define SELLERS 6

typedef struct job {
    const char *cid, *sid, *idem;
    const char *body;
    handler_fn fn;
    int status;
    char *text;
} job;

static void *run_sale(void *arg)
{
    job *jb = arg;
    char why[256];
    store *s = store_open_tables(STORE_NEED_ALL | STORE_NEED_SHIFTS | STORE_NEED_JOURNAL | STORE_NEED_OPERATORS, why,
                                 sizeof why);
    if (!s)
        return NULL;
    answer a = jb->fn == handler_create_order ? sell(s, BEN, jb->cid, 1, "{\"method\":\"cash\"}", jb->sid)
                                              : call_on(s, jb->fn, BEN, jb->body, "id", jb->sid, jb->idem, NULL);
    jb->status = a.status;
    jb->text = a.text ? strdup(a.text) : NULL;
    handler_answer_clear(&a);
    store_close(s);
    return NULL;
}

/* SELLERS cash sales at once on one shift of a concert of `seats` seats, then two closes at once: the Z numbered
 * want_z, the shift's journal gapless and its hash chain whole. */
static void sales_and_closes(int seats, int want_z)
{
    char cid[STORE_ID_MAX + 1], sid[64];
    create_concert(seats, "10", cid);
    answer a = call(handler_open_shift, BEN, "{\"terminal\":\"kiosk-1\",\"float\":{\"EUR\":\"20.00\"}}", NULL, NULL);
    expect(&a, 201, NULL);
    snprintf(sid, sizeof sid, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
    int j = journal_count();
    pthread_t th[SELLERS];
    job jobs[SELLERS];
    for (int i = 0; i < SELLERS; i++) {
        jobs[i] = (job){ .cid = cid, .sid = sid, .fn = handler_create_order };
        assert_int_equal(pthread_create(&th[i], NULL, run_sale, &jobs[i]), 0);
    }
    for (int i = 0; i < SELLERS; i++) {
        pthread_join(th[i], NULL);
        if (jobs[i].status != 201)
            fail_msg("sale %d: %d %s", i, jobs[i].status, jobs[i].text ? jobs[i].text : "");
        free(jobs[i].text);
    }
    assert_int_equal(journal_count(), j + SELLERS);
    /* two closes at once with the same key: one Z, the same answer */
    char body[128];
    snprintf(body, sizeof body, "{\"counted\":{\"EUR\":\"%d.00\"}}", 20 + 10 * SELLERS);
    for (int i = 0; i < 2; i++) {
        jobs[i] = (job){ .sid = sid, .fn = handler_close_shift, .body = body, .idem = "close-ben-1" };
        assert_int_equal(pthread_create(&th[i], NULL, run_sale, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 2; i++)
        if (jobs[i].status != 200)
            fail_msg("close %d: %d %s", i, jobs[i].status, jobs[i].text ? jobs[i].text : "");
    assert_string_equal(jobs[0].text, jobs[1].text);
    cJSON *z = cJSON_Parse(jobs[0].text);
    assert_int_equal((int)jnum(cJSON_GetObjectItem(z, "report"), "z"), want_z); /* Ana's was 1: never reused */
    assert_int_equal((int)jnum(cJSON_GetObjectItem(z, "report"), "entries"), SELLERS + 2);
    char hash[BO_JHASH_HEX];
    snprintf(hash, sizeof hash, "%s", jstr(cJSON_GetObjectItem(z, "report"), "hash"));
    cJSON_Delete(z);
    free(jobs[0].text);
    free(jobs[1].text);
    assert_int_equal(journal_count(), j + SELLERS + 1);
    cJSON *entries = shift_journal(MIA, sid);
    assert_int_equal(cJSON_GetArraySize(entries), SELLERS + 2);
    for (int i = 0; i < SELLERS + 2; i++)
        assert_int_equal((int)jnum(cJSON_GetArrayItem(entries, i), "seq"), i + 1);
    char again[BO_JHASH_HEX];
    recompute(entries, again);
    assert_string_equal(again, hash);
    cJSON_Delete(entries);
}

static void concurrent_sales_and_closes(void **state)
{
    (void)state;
    sales_and_closes(50, 2);
}

/* The same on a pooled concert (issue 19: capacity 2,000, its seats in 64 pools): the sales take their seats from
 * the pools, the shift and the journal are the same. */
static void concurrent_sales_and_closes_on_a_pooled_concert(void **state)
{
    (void)state;
    sales_and_closes(2000, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cashiers_day),
        cmocka_unit_test(concurrent_sales_and_closes),
        cmocka_unit_test(concurrent_sales_and_closes_on_a_pooled_concert),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
