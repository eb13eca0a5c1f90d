/* The store tables each handler declares (handler_def.tables) are the ones it touches, and start-up (app_init)
 * checks those and HANDLER_TABLES_ALWAYS: a handler fails start-up naming the variable of a table it needs when
 * that variable is unset, and starts without the orders and codes tables when it does not need them. No DynamoDB is reached: opening the store only reads
 * the environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_fake.h"
#include "handlers.h"
#include "lambda_app.h"
#include "store.h"

#define C STORE_NEED_CONCERTS
#define T STORE_NEED_TICKETS
#define O STORE_NEED_ORDERS
#define K STORE_NEED_CODES
#define P STORE_NEED_OPERATORS
#define S STORE_NEED_SHIFTS
#define J STORE_NEED_JOURNAL
#define N STORE_NEED_COUNTERS

/* What each handler reads or writes, from its store calls (store_*.c). */
static const struct {
    const char *name;
    unsigned tables;
} touches[] = {
    { "concert-service.createConcert", C | P | J | N },  /* Put concert + its journal entry + the operator's ConditionCheck */
    { "concert-service.getConcert", C | N },          /* GetItem concerts */
    { "concert-service.listConcerts", C | N },         /* Scan concerts */
    { "concert-service.purchaseTicket", C | T | N },     /* seat update + ticket put */
    { "concert-service.createOrder", C | T | O | K | P | S | J | N }, /* seats, order, tickets, codes, shift, journal, operator check */
    { "concert-service.getOrder", T | O },           /* the order, then its tickets */
    { "concert-service.checkIn", C | T | O | K | P | J | N }, /* code -> ticket -> order; admitted on concert and order; operator */
    { "concert-service.undoCheckIn", C | T | O | P | J | N }, /* the ticket; admitted back on concert and order; operator */
    { "concert-service.refundOrder", C | T | O | P | S | J | N }, /* the order and its tickets; seats back; shift; operator */
    { "concert-service.concertStats", C | N },         /* the concert's counters */
    { "concert-service.findOrders", T | O },         /* byEmail/byName on orders, byHolder on tickets */
    { "concert-service.getTicketByCode", C | T | O | K | N }, /* code -> ticket -> order -> concert */
    { "concert-service.listOperators", 0 },           /* Cognito only */
    { "concert-service.createOperator", P | J },      /* the caller's item, then the new one, its journal entry, their check */
    { "concert-service.disableOperator", P | J },     /* the same */
    { "concert-service.enableOperator", P | J },
    { "concert-service.setOperatorRole", P | J },
    { "concert-service.openShift", P | S | J },      /* operator's openShiftId, the shift, its journal entry */
    { "concert-service.currentShift", P | S },       /* operator's openShiftId -> the shift */
    { "concert-service.getShift", S },
    { "concert-service.shiftDrop", P | S | J },      /* the shift, its journal entry, the operator's check */
    { "concert-service.shiftPaidOut", P | S | J },
    { "concert-service.closeShift", P | S | J },     /* shift, Z counter, operator, journal */
    { "concert-service.daySheet", S },               /* byDay */
    { "concert-service.getJournal", S | J },         /* the journal's indexes; the shift for its owner */
};
#define N_HANDLERS (sizeof touches / sizeof touches[0])

/* Sets exactly the table variables in tables, unsets the others. */
static void set_tables(unsigned tables)
{
    static const char *const names[STORE_T_COUNT] = { "concerts-test", "tickets-test", "orders-test", "codes-test",
                                                        "operators-test", "shifts-test", "journal-test", "counters-test" };
    for (int t = 0; t < STORE_T_COUNT; t++) {
        const char *var = store_table_env((store_table_id)t);
        if (tables & STORE_NEED(t))
            setenv(var, names[t], 1);
        else
            unsetenv(var);
    }
}

static void every_handler_declares_the_tables_it_touches(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_HANDLERS; i++) {
        const handler_def *d = handler_find(touches[i].name);
        assert_non_null(d);
        if (d->tables != touches[i].tables)
            fail_msg("%s declares tables %#x, touches %#x", touches[i].name, d->tables, touches[i].tables);
    }
}

static void start_up_checks_exactly_the_tables_a_handler_needs(void **state)
{
    (void)state;
    ddb_fake_use_env_url("http://127.0.0.1:9"); /* never called */
    for (size_t i = 0; i < N_HANDLERS; i++) {
        unsigned needed = touches[i].tables | C | T; /* the reference's pair, always */
        setenv("_HANDLER", touches[i].name, 1);
        const char *type = NULL;
        char err[512];
        app a;
        /* only the tables it needs: starts */
        set_tables(needed);
        if (app_init(&a, &type, err, sizeof err) != 0)
            fail_msg("%s with its tables only: %s", touches[i].name, err);
        app_close(&a);
        /* each one missing: a clear start-up failure naming it */
        for (int t = 0; t < STORE_T_COUNT; t++) {
            if (!(needed & STORE_NEED(t)))
                continue;
            set_tables(needed & ~STORE_NEED(t));
            type = NULL;
            if (app_init(&a, &type, err, sizeof err) == 0) {
                app_close(&a);
                fail_msg("%s started without %s", touches[i].name, store_table_env((store_table_id)t));
            }
            assert_string_equal(type, "Runtime.ConfigError");
            assert_non_null(strstr(err, store_table_env((store_table_id)t)));
        }
    }
    unsetenv("_HANDLER");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_handler_declares_the_tables_it_touches),
        cmocka_unit_test(start_up_checks_exactly_the_tables_a_handler_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
