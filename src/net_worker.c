/* The box office's network worker thread; see include/net_worker.h. */
#include "net_worker.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JOBS_MAX 8
#define RESULTS_MAX 8

struct net_worker {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;      /* signalled on a new job or stop */
    pthread_cond_t done;      /* signalled when the thread ends */
    api_client *client;       /* used by the worker thread only */
    net_job jobs[JOBS_MAX];
    size_t job_head, job_count;
    net_result results[RESULTS_MAX];
    size_t res_head, res_count;
    unsigned long next_seq;
    bool stop, finished;
    int wake_rd, wake_wr;     /* self-pipe: the thread writes a byte after queueing a result */
};

void net_result_clear(net_result *r)
{
    switch (r->kind) {
    case NET_JOB_LIST:
        bo_concert_list_clear(&r->out.list);
        break;
    case NET_JOB_GET:
        bo_concert_clear(&r->out.concert);
        break;
    case NET_JOB_ORDER:
    case NET_JOB_GET_ORDER:
        bo_order_clear(&r->out.order);
        break;
    case NET_JOB_FIND_ORDERS:
        api_order_page_clear(&r->out.page);
        break;
    case NET_JOB_TICKET_BY_CODE:
        bo_order_clear(&r->out.found.order);
        bo_concert_clear(&r->out.found.concert);
        break;
    case NET_JOB_REFUND:
        bo_order_clear(&r->out.refund.order);
        break;
    case NET_JOB_SHIFT:
        api_shift_clear(&r->out.shift.shift);
        api_shift_day_clear(&r->out.shift.day);
        break;
    case NET_JOB_OPERATORS:
        api_operator_list_clear(&r->out.operators);
        break;
    case NET_JOB_OPERATOR:
        bo_operator_clear(&r->out.op);
        break;
    case NET_JOB_JOURNAL:
        api_journal_page_clear(&r->out.journal);
        break;
    case NET_JOB_CREATE:
    case NET_JOB_SIGNIN:
    case NET_JOB_CHECKIN:
    case NET_JOB_STATS:
    case NET_JOB_UNDO_CHECKIN:
        break; /* nothing allocated */
    }
    memset(r, 0, sizeof *r);
}

/* An order: the attendees' names split at ',' (model_names_split) into the API's view of it. */
static void run_order(api_client *c, const net_order_req *o, net_result *r)
{
    char names[NET_TEXT_MAX];
    const char *list[BO_ORDER_TICKETS_MAX];
    memcpy(names, o->attendees, sizeof names);
    names[sizeof names - 1] = '\0';
    size_t n = model_names_split(names, list, BO_ORDER_TICKETS_MAX);
    bo_order_input in = {
        .concert_id = o->concert_id, .quantity = o->quantity, .customer_name = o->name,
        .customer_email = o->email, .attendees = list, .n_attendees = n, .method = o->pay,
        .tendered_cents = o->tendered_cents, .operator_route = o->operator_route,
        .shift_id = o->shift_id, .terminal = o->terminal,
    };
    memcpy(r->id, o->concert_id, sizeof r->id);
    r->status = api_create_order(c, &in, o->idem_key[0] != '\0' ? o->idem_key : NULL, &r->out.order, &r->res);
    memset(names, 0, sizeof names);
}

/* A refund: the ticket ids split at ',' (model_names_split). */
static void run_refund(api_client *c, const net_refund_req *q, net_result *r)
{
    char ids[NET_TEXT_MAX];
    const char *list[BO_ORDER_TICKETS_MAX];
    memcpy(ids, q->ticket_ids, sizeof ids);
    ids[sizeof ids - 1] = '\0';
    size_t n = model_names_split(ids, list, BO_ORDER_TICKETS_MAX);
    api_refund_input in = { .order_id = q->order_id, .ticket_ids = list, .n_ticket_ids = n, .reason = q->reason,
                            .method = q->method, .shift_id = q->shift_id, .terminal = q->terminal };
    memcpy(r->id, q->order_id, sizeof r->id);
    net_refund_out *out = &r->out.refund;
    r->status = api_refund_order(c, &in, q->idem_key[0] != '\0' ? q->idem_key : NULL, &out->order, &out->made,
                                 &out->refused, &r->res);
}

static void run_by_code(api_client *c, const char *code, net_result *r)
{
    api_ticket_found f;
    r->status = api_ticket_by_code(c, code, &f, &r->res);
    if (r->status != API_OK)
        return;
    memcpy(r->id, f.ticket.id, sizeof r->id);
    r->out.found.order = f.order;       /* moved */
    r->out.found.concert = f.concert;   /* moved */
    memset(&f.order, 0, sizeof f.order);
    memset(&f.concert, 0, sizeof f.concert);
    api_ticket_found_clear(&f);
}

static void run_create(api_client *c, const net_create_req *q, net_result *r)
{
    bo_concert_input in = { .name = q->name, .date = q->date, .venue = q->venue, .available_tickets = q->tickets,
                            .price_cents = q->price_cents, .currency = q->currency, .timezone = q->timezone,
                            .max_per_order = q->max_per_order };
    r->status = api_create_concert(c, &in, r->id, &r->res);
}

static void run_find(api_client *c, const net_find_req *q, net_result *r)
{
    api_order_query query = { .email = q->email, .name = q->name, .concert_id = q->concert_id,
                              .limit = q->limit, .cursor = q->cursor };
    r->status = api_find_orders(c, &query, &r->out.page, &r->res);
}

static void run_checkin(api_client *c, const net_checkin_req *q, net_result *r)
{
    memcpy(r->id, q->concert_id, sizeof r->id);
    memcpy(r->out.checkin.nonce, q->nonce, sizeof r->out.checkin.nonce);
    r->status = api_checkin(c, q->concert_id, q->code, q->nonce, q->door, q->attempts, &r->out.checkin.verdict,
                            &r->res);
}

static void run_shift(api_client *c, const net_shift_req *q, net_result *r)
{
    net_shift_out *out = &r->out.shift;
    const char *key = q->idem_key[0] != '\0' ? q->idem_key : NULL;
    const char *note = q->note[0] != '\0' ? q->note : NULL;
    out->op = q->op;
    memcpy(r->id, q->id, sizeof r->id);
    switch (q->op) {
    case NET_SHIFT_CURRENT:
        r->status = api_shift_current(c, &out->shift, &r->res);
        if (r->status == API_OK && !out->shift.report.known) {
            char id[BO_ID_MAX + 1];
            memcpy(id, out->shift.id, sizeof id);
            api_shift_clear(&out->shift);
            r->status = api_shift_get(c, id, &out->shift, &r->res);
        }
        break;
    case NET_SHIFT_GET:
        r->status = api_shift_get(c, q->id, &out->shift, &r->res);
        break;
    case NET_SHIFT_OPEN:
        r->status = api_shift_open(c, q->terminal, q->amounts, q->n, key, &out->shift, &out->already, &r->res);
        break;
    case NET_SHIFT_DROP:
    case NET_SHIFT_PAIDOUT:
        r->status = api_shift_move_cash(c, q->id, q->op == NET_SHIFT_DROP ? API_SHIFT_DROP : API_SHIFT_PAIDOUT,
                                        q->n > 0 ? q->amounts[0].cents : 0, q->n > 0 ? q->amounts[0].currency : "", note,
                                        &out->shift, &r->res);
        break;
    case NET_SHIFT_CLOSE:
        r->status = api_shift_close(c, q->id, q->amounts, q->n, note, key, &out->shift, &r->res);
        break;
    case NET_SHIFT_DAY:
        r->status = api_shift_day_sheet(c, q->id[0] != '\0' ? q->id : NULL, &out->day, &r->res);
        break;
    }
}

static void run_operator(api_client *c, const net_op_req *q, net_result *r)
{
    switch (q->action) {
    case NET_OP_ADD: {
        api_operator_input in = { .username = q->username, .name = q->name, .group = q->group,
                                  .temporary_password = q->temp_password };
        r->status = api_operator_add(c, &in, &r->out.op, &r->res);
        break;
    }
    case NET_OP_DISABLE:
    case NET_OP_ENABLE:
        r->status = api_operator_set_enabled(c, q->username, q->action == NET_OP_ENABLE, &r->out.op, &r->res);
        break;
    case NET_OP_ROLE:
        r->status = api_operator_set_role(c, q->username, q->group, &r->out.op, &r->res);
        break;
    }
}

static void run_journal(api_client *c, const net_journal_req *q, net_result *r)
{
    api_journal_query query = { .day = q->day, .operator_sub = q->operator_sub, .concert_id = q->concert_id,
                                .shift_id = q->shift_id, .limit = q->limit, .cursor = q->cursor };
    r->status = api_journal_get(c, &query, &r->out.journal, &r->res);
}

static void run_signin(const net_signin_req *q, net_result *r)
{
    const net_auth_port *p = q->port;
    r->status = API_OK;
    if (p == NULL || p->signin == NULL) {
        r->out.signin.status = NET_AUTH_UNAVAILABLE;
        snprintf(r->out.signin.err, sizeof r->out.signin.err, "Sign-in is not configured");
        return;
    }
    if (q->whoami) {
        bool known = p->identity != NULL && p->identity(p->ctx, &r->out.signin.who);
        r->out.signin.status = known ? NET_AUTH_OK : NET_AUTH_REFUSED;
        if (!known)
            snprintf(r->out.signin.err, sizeof r->out.signin.err, "Not signed in");
        return;
    }
    r->out.signin.status = q->new_password
                               ? p->new_password(p->ctx, q->password, q->remember, r->out.signin.err, sizeof r->out.signin.err)
                               : p->signin(p->ctx, q->user, q->password, q->remember, r->out.signin.err,
                                           sizeof r->out.signin.err);
    if (r->out.signin.status == NET_AUTH_OK && (p->identity == NULL || !p->identity(p->ctx, &r->out.signin.who)))
        memset(&r->out.signin.who, 0, sizeof r->out.signin.who);
}

static void run_job(api_client *c, const net_job *j, net_result *r)
{
    memset(r, 0, sizeof *r);
    r->kind = j->kind;
    r->seq = j->seq;
    switch (j->kind) {
    case NET_JOB_LIST:
        r->status = api_list_concerts(c, &r->out.list, &r->res);
        break;
    case NET_JOB_GET:
        memcpy(r->id, j->req.concert_id, sizeof r->id);
        r->status = api_get_concert(c, j->req.concert_id, &r->out.concert, &r->res);
        break;
    case NET_JOB_CREATE:
        run_create(c, &j->req.create, r);
        break;
    case NET_JOB_ORDER:
        run_order(c, &j->req.order, r);
        break;
    case NET_JOB_FIND_ORDERS:
        run_find(c, &j->req.find, r);
        break;
    case NET_JOB_TICKET_BY_CODE:
        run_by_code(c, j->req.code, r);
        break;
    case NET_JOB_GET_ORDER:
        memcpy(r->id, j->req.order_id, sizeof r->id);
        r->status = api_get_order(c, j->req.order_id, &r->out.order, &r->res);
        break;
    case NET_JOB_REFUND:
        run_refund(c, &j->req.refund, r);
        break;
    case NET_JOB_CHECKIN:
        run_checkin(c, &j->req.checkin, r);
        break;
    case NET_JOB_STATS:
        memcpy(r->id, j->req.concert_id, sizeof r->id);
        r->status = api_concert_stats(c, j->req.concert_id, &r->out.stats, &r->res);
        break;
    case NET_JOB_UNDO_CHECKIN:
        memcpy(r->id, j->req.ticket_id, sizeof r->id);
        r->status = api_undo_checkin(c, j->req.ticket_id, &r->out.undo, &r->res);
        break;
    case NET_JOB_SHIFT:
        run_shift(c, &j->req.shift, r);
        break;
    case NET_JOB_OPERATORS:
        r->status = api_operators_list(c, &r->out.operators, &r->res);
        break;
    case NET_JOB_OPERATOR:
        run_operator(c, &j->req.op, r);
        break;
    case NET_JOB_JOURNAL:
        run_journal(c, &j->req.journal, r);
        break;
    case NET_JOB_SIGNIN:
        run_signin(&j->req.signin, r);
        break;
    }
}

static void free_worker(net_worker *w)
{
    for (size_t i = 0; i < w->res_count; i++)
        net_result_clear(&w->results[(w->res_head + i) % RESULTS_MAX]);
    api_client_free(w->client);
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->lock);
    close(w->wake_rd);
    close(w->wake_wr);
    memset(w->jobs, 0, sizeof w->jobs);
    free(w);
}

/* Makes wake_rd readable. Non-blocking: a full pipe is readable already. */
static void signal_result(net_worker *w)
{
    char b = 1;
    while (write(w->wake_wr, &b, 1) < 0 && errno == EINTR) {
    }
}

static void drain_wakeups(net_worker *w)
{
    char buf[64];
    while (read(w->wake_rd, buf, sizeof buf) > 0) {
    }
}

static void *worker_main(void *arg)
{
    net_worker *w = arg;
    net_job job;
    net_result res;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->stop && w->job_count == 0)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->stop)
            break;
        job = w->jobs[w->job_head];
        memset(&w->jobs[w->job_head], 0, sizeof w->jobs[0]);
        w->job_head = (w->job_head + 1) % JOBS_MAX;
        w->job_count--;
        pthread_mutex_unlock(&w->lock);

        run_job(w->client, &job, &res);
        memset(&job, 0, sizeof job); /* customer data does not linger */

        pthread_mutex_lock(&w->lock);
        if (w->stop) {
            net_result_clear(&res);
            break;
        }
        if (w->res_count == RESULTS_MAX) { /* UI far behind: drop the oldest result */
            net_result_clear(&w->results[w->res_head]);
            w->res_head = (w->res_head + 1) % RESULTS_MAX;
            w->res_count--;
        }
        w->results[(w->res_head + w->res_count) % RESULTS_MAX] = res;
        w->res_count++;
        signal_result(w); /* after the result is queued: a reader that drained first sees it */
    }
    w->finished = true;
    pthread_cond_broadcast(&w->done);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

net_worker *net_worker_start(const api_config *cfg, api_inspector_fn inspector_fn, void *inspector_ud)
{
    net_worker *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->client = api_client_new(cfg);
    if (w->client == NULL)
        goto fail_client;
    if (inspector_fn != NULL)
        api_client_set_inspector(w->client, inspector_fn, inspector_ud);
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
        goto fail_pipe;
    w->wake_rd = fds[0];
    w->wake_wr = fds[1];
    if (pthread_mutex_init(&w->lock, NULL) != 0)
        goto fail_mutex;
    if (pthread_cond_init(&w->wake, NULL) != 0)
        goto fail_wake;
    if (pthread_cond_init(&w->done, NULL) != 0)
        goto fail_done;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        goto fail_thread;
    return w;

fail_thread:
    pthread_cond_destroy(&w->done);
fail_done:
    pthread_cond_destroy(&w->wake);
fail_wake:
    pthread_mutex_destroy(&w->lock);
fail_mutex:
    close(w->wake_rd);
    close(w->wake_wr);
fail_pipe:
    api_client_free(w->client);
fail_client:
    free(w);
    return NULL;
}

unsigned long net_worker_submit(net_worker *w, const net_job *job)
{
    unsigned long seq = 0;
    pthread_mutex_lock(&w->lock);
    if (w->job_count < JOBS_MAX) {
        seq = ++w->next_seq;
        net_job *slot = &w->jobs[(w->job_head + w->job_count) % JOBS_MAX];
        *slot = *job;
        slot->seq = seq;
        w->job_count++;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return seq;
}

bool net_worker_poll(net_worker *w, net_result *out)
{
    bool got = false;
    drain_wakeups(w); /* before looking: a result queued after this look writes a new byte */
    pthread_mutex_lock(&w->lock);
    if (w->res_count > 0) {
        *out = w->results[w->res_head];
        memset(&w->results[w->res_head], 0, sizeof w->results[0]);
        w->res_head = (w->res_head + 1) % RESULTS_MAX;
        w->res_count--;
        got = true;
    }
    pthread_mutex_unlock(&w->lock);
    return got;
}

int net_worker_wake_fd(const net_worker *w)
{
    return w->wake_rd;
}

bool net_worker_stop(net_worker *w, long wait_ms)
{
    if (w == NULL)
        return true;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (wait_ms > 0) {
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    while (!w->finished) {
        if (wait_ms < 0)
            pthread_cond_wait(&w->done, &w->lock);
        else if (pthread_cond_timedwait(&w->done, &w->lock, &until) == ETIMEDOUT)
            break;
    }
    bool finished = w->finished;
    pthread_mutex_unlock(&w->lock);
    if (!finished)
        return false;
    pthread_join(w->thread, NULL);
    free_worker(w);
    return true;
}
