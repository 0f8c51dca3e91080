/*
 * parse.c - hand-written: drives the lexer (grammar/lexer.re) and the parser
 * (grammar/parser.y) over one file, words syntax errors, and builds the AST
 * for the grammar's actions (fe_b_*).
 *
 * Memory: every node, list and string is allocated in the caller's arena;
 * the only malloc is lemon's parser object (one per file, freed here).
 */
#include "parse_int.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static void *alloc(fe_pstate *ps, size_t n)
{
    return jy_arena_alloc(ps->arena, n);
}

/* Dummy nodes used when the arena is exhausted, so actions never see NULL.
 * The failure is reported once at the end (jy_arena_failed). */
static fe_expr *err_expr(fe_pstate *ps, uint32_t s, uint32_t e)
{
    static const fe_expr zero; /* only ever copied */
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return (fe_expr *)&zero;
    x->kind = FE_E_ERROR;
    x->start = s;
    x->end = e;
    return x;
}

static const char *tok_dup(fe_pstate *ps, const fe_token *t)
{
    const char *s = jy_arena_strndup(ps->arena, ps->src->text + t->start, t->end - t->start);
    return s ? s : "";
}

/* ------------------------------------------------------------ vectors */

fe_vec *fe_b_vec(fe_pstate *ps)
{
    static fe_vec dead; /* never written through: fe_b_push checks */
    fe_vec *v = alloc(ps, sizeof *v);
    return v ? v : &dead;
}

void fe_b_push(fe_pstate *ps, fe_vec *v, void *item)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        void **nv = jy_arena_grow(ps->arena, v->v, v->n, cap, sizeof *nv);
        if (!nv)
            return;
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = item;
}

void fe_b_extend(fe_pstate *ps, fe_vec *v, fe_vec *items)
{
    for (size_t i = 0; i < items->n; i++)
        fe_b_push(ps, v, items->v[i]);
}

static fe_block block_of(fe_vec *v)
{
    fe_block b = {(fe_stmt **)v->v, v->n};
    return b;
}

void fe_b_module(fe_pstate *ps, fe_vec *stmts)
{
    ps->body = stmts;
}

/* -------------------------------------------------------- expressions */

fe_expr *fe_b_name(fe_pstate *ps, const fe_token *t)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, t->start, t->end);
    x->kind = FE_E_NAME;
    x->start = t->start;
    x->end = t->end;
    x->u.name.s = tok_dup(ps, t);
    x->u.name.n = t->end - t->start;
    return x;
}

fe_expr *fe_b_attr(fe_pstate *ps, fe_expr *obj, const fe_token *name)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, obj->start, name->end);
    x->kind = FE_E_ATTR;
    x->start = obj->start;
    x->end = name->end;
    x->u.attr.obj = obj;
    x->u.attr.name = tok_dup(ps, name);
    x->u.attr.n = name->end - name->start;
    x->u.attr.name_start = name->start;
    x->u.attr.name_end = name->end;
    return x;
}

fe_expr *fe_b_call(fe_pstate *ps, fe_expr *fn, fe_vec *args, const fe_token *rparen)
{
    fe_expr *x = alloc(ps, sizeof *x);
    fe_arg *a = jy_arena_calloc(ps->arena, args->n ? args->n : 1, sizeof *a);
    if (!x || !a)
        return err_expr(ps, fn->start, rparen->end);
    for (size_t i = 0; i < args->n; i++)
        a[i] = *(fe_arg *)args->v[i];
    x->kind = FE_E_CALL;
    x->start = fn->start;
    x->end = rparen->end;
    x->u.call.fn = fn;
    x->u.call.args = a;
    x->u.call.nargs = args->n;
    return x;
}

fe_arg *fe_b_arg(fe_pstate *ps, const fe_token *kw, fe_expr *value, int star, uint32_t start)
{
    static fe_arg dead;
    fe_arg *a = alloc(ps, sizeof *a);
    if (!a)
        return &dead;
    (void)start;
    a->value = value;
    a->star = star;
    if (kw) {
        a->kw = tok_dup(ps, kw);
        a->kw_start = kw->start;
        a->kw_end = kw->end;
    }
    return a;
}

fe_strlist *fe_b_strlist(fe_pstate *ps, fe_strlist *l, const fe_token *t)
{
    static fe_strlist dead;
    if (!l) {
        l = alloc(ps, sizeof *l);
        if (!l)
            return &dead;
        l->start = t->start;
    }
    fe_strpart *p = alloc(ps, sizeof *p);
    if (!p)
        return l;
    p->s = t->str ? t->str : "";
    p->len = t->len;
    if (l->last)
        l->last->next = p;
    else
        l->first = p;
    l->last = p;
    l->total += p->len;
    l->end = t->end;
    return l;
}

fe_expr *fe_b_str(fe_pstate *ps, fe_strlist *l)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, l->start, l->end);
    x->kind = FE_E_STR;
    x->start = l->start;
    x->end = l->end;
    if (l->first && !l->first->next) {
        x->u.str.s = l->first->s;
        x->u.str.len = l->first->len;
        return x;
    }
    /* adjacent literals: one concatenation, never quadratic */
    char *buf = alloc(ps, l->total + 1);
    if (!buf) {
        x->u.str.s = "";
        return x;
    }
    size_t n = 0;
    for (fe_strpart *p = l->first; p; p = p->next) {
        memcpy(buf + n, p->s, p->len);
        n += p->len;
    }
    buf[n] = 0;
    x->u.str.s = buf;
    x->u.str.len = n;
    return x;
}

fe_expr *fe_b_lit(fe_pstate *ps, fe_ekind kind, const fe_token *t)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, t->start, t->end);
    x->kind = kind;
    x->start = t->start;
    x->end = t->end;
    if (kind == FE_E_INT)
        x->u.i = t->ival;
    else if (kind == FE_E_FLOAT)
        x->u.f = t->fval;
    return x;
}

fe_expr *fe_b_seq(fe_pstate *ps, fe_ekind kind, fe_vec *items, const fe_token *open,
                  const fe_token *close)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, open->start, close->end);
    x->kind = kind;
    x->start = open->start;
    x->end = close->end;
    if (items) {
        x->u.seq.items = (fe_expr **)items->v;
        x->u.seq.n = items->n;
    }
    return x;
}

fe_expr *fe_b_dict(fe_pstate *ps, fe_vec *items, const fe_token *open, const fe_token *close)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, open->start, close->end);
    x->kind = FE_E_DICT;
    x->start = open->start;
    x->end = close->end;
    if (items && items->n) {
        size_t n = items->n / 2;
        fe_expr **k = jy_arena_calloc(ps->arena, n, sizeof *k);
        fe_expr **v = jy_arena_calloc(ps->arena, n, sizeof *v);
        if (!k || !v)
            return x;
        for (size_t i = 0; i < n; i++) {
            k[i] = items->v[2 * i];
            v[i] = items->v[2 * i + 1];
        }
        x->u.dict.keys = k;
        x->u.dict.vals = v;
        x->u.dict.n = n;
    }
    return x;
}

fe_expr *fe_b_paren(fe_pstate *ps, fe_expr *e, const fe_token *open, const fe_token *close)
{
    (void)ps;
    /* (x) is x; its span widens to the parentheses for diagnostics */
    e->start = open->start;
    e->end = close->end;
    return e;
}

fe_expr *fe_b_unary(fe_pstate *ps, fe_ekind kind, const fe_token *op, fe_expr *operand)
{
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, op->start, operand->end);
    x->kind = kind;
    x->start = op->start;
    x->end = operand->end;
    x->u.operand = operand;
    return x;
}

fe_expr *fe_b_binary(fe_pstate *ps, fe_ekind kind, fe_cmp op, fe_expr *lhs, fe_expr *rhs)
{
    if (kind == FE_E_CMP && (lhs->kind == FE_E_CMP || rhs->kind == FE_E_CMP)) {
        /* Python reads a == b == c as (a == b) and (b == c): say so */
        ps->nerrors++;
        jy_diag *g = jy_diag_at(ps->d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.chained-comparison",
                                ps->src, lhs->start, rhs->end,
                                "chained comparisons are not supported");
        jy_diag_hint(g, "compare once per condition and join them with 'and' / 'or'");
        return err_expr(ps, lhs->start, rhs->end);
    }
    fe_expr *x = alloc(ps, sizeof *x);
    if (!x)
        return err_expr(ps, lhs->start, rhs->end);
    x->kind = kind;
    x->start = lhs->start;
    x->end = rhs->end;
    x->u.bin.op = op;
    x->u.bin.lhs = lhs;
    x->u.bin.rhs = rhs;
    return x;
}

/* --------------------------------------------------------- statements */

fe_stmt *fe_b_stmt(fe_pstate *ps, fe_skind kind, uint32_t start, uint32_t end)
{
    static fe_stmt dead;
    fe_stmt *s = alloc(ps, sizeof *s);
    if (!s) {
        dead.kind = FE_S_ERROR;
        return &dead;
    }
    s->kind = kind;
    s->start = start;
    s->end = end;
    return s;
}

static uint32_t block_end(fe_vec *b, uint32_t dflt)
{
    return b && b->n ? ((fe_stmt *)b->v[b->n - 1])->end : dflt;
}

fe_stmt *fe_b_expr_stmt(fe_pstate *ps, fe_expr *e)
{
    fe_stmt *s = fe_b_stmt(ps, FE_S_EXPR, e->start, e->end);
    s->u.expr = e;
    return s;
}

static const char *describe_expr(const fe_expr *e)
{
    switch (e->kind) {
    case FE_E_ATTR: return "an attribute";
    case FE_E_CALL: return "a function call";
    case FE_E_STR: case FE_E_INT: case FE_E_FLOAT: case FE_E_TRUE: case FE_E_FALSE:
    case FE_E_NONE: case FE_E_ELLIPSIS: return "a literal";
    case FE_E_TUPLE: case FE_E_LIST: return "several names";
    default: return "an expression";
    }
}

fe_stmt *fe_b_assign(fe_pstate *ps, fe_expr *target, fe_expr *value)
{
    if (target->kind != FE_E_NAME) {
        if (target->kind != FE_E_ERROR) {
            ps->nerrors++;
            jy_diag *g = jy_diag_at(ps->d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.assign-target",
                                    ps->src, target->start, target->end,
                                    "cannot assign to %s; joryuc accepts only `NAME = value`",
                                    describe_expr(target));
            jy_diag_hint(g, "module constants are plain names, e.g. BATCH_SIZE = 10_000");
        }
        return fe_b_stmt(ps, FE_S_ERROR, target->start, value->end);
    }
    fe_stmt *s = fe_b_stmt(ps, FE_S_ASSIGN, target->start, value->end);
    s->u.assign.target = target->u.name.s;
    s->u.assign.target_start = target->start;
    s->u.assign.target_end = target->end;
    s->u.assign.value = value;
    return s;
}

fe_dotted *fe_b_dotted(fe_pstate *ps, fe_dotted *prefix, const fe_token *name)
{
    static fe_dotted dead = {"", 0, 0};
    if (prefix) { /* the text is made once, when the name is used: linear */
        prefix->end = name->end;
        return prefix;
    }
    fe_dotted *d = alloc(ps, sizeof *d);
    if (!d)
        return &dead;
    d->start = name->start;
    d->end = name->end;
    return d;
}

/* The dotted name as written, without the blanks or line continuations
 * that may separate its parts. */
static const char *dotted_text(fe_pstate *ps, const fe_dotted *m)
{
    char *t = alloc(ps, (size_t)(m->end - m->start) + 1);
    if (!t)
        return "";
    size_t n = 0;
    for (uint32_t i = m->start; i < m->end; i++) {
        char c = ps->src->text[i];
        if (c != ' ' && c != '\t' && c != '\f' && c != '\\' && c != '\r' && c != '\n')
            t[n++] = c;
    }
    t[n] = 0;
    return t;
}

fe_import_name *fe_b_import_name(fe_pstate *ps, const fe_dotted *module, const fe_token *name,
                                 const fe_token *alias)
{
    static fe_import_name dead;
    fe_import_name *n = alloc(ps, sizeof *n);
    if (!n)
        return &dead;
    if (module) {
        n->module = dotted_text(ps, module);
        n->start = module->start;
        n->end = module->end;
    }
    if (name) {
        n->name = tok_dup(ps, name);
        n->start = name->start;
        n->end = name->end;
    }
    if (alias) {
        n->alias = tok_dup(ps, alias);
        n->end = alias->end;
    }
    return n;
}

void fe_b_from_module(fe_pstate *ps, fe_vec *names, const fe_dotted *module)
{
    const char *m = dotted_text(ps, module);
    for (size_t i = 0; i < names->n; i++)
        ((fe_import_name *)names->v[i])->module = m;
}

fe_stmt *fe_b_import(fe_pstate *ps, fe_skind kind, const fe_token *kw, fe_vec *names,
                     uint32_t end)
{
    uint32_t e = end;
    if (!e && names->n)
        e = ((fe_import_name *)names->v[names->n - 1])->end;
    fe_stmt *s = fe_b_stmt(ps, kind, kw->start, e ? e : kw->end);
    fe_import_name *v = jy_arena_calloc(ps->arena, names->n ? names->n : 1, sizeof *v);
    if (!v)
        return s;
    for (size_t i = 0; i < names->n; i++)
        v[i] = *(fe_import_name *)names->v[i];
    s->u.import.names = v;
    s->u.import.n = names->n;
    return s;
}

fe_param *fe_b_param(fe_pstate *ps, const fe_token *name)
{
    static fe_param dead = {"", 0, 0};
    fe_param *p = alloc(ps, sizeof *p);
    if (!p)
        return &dead;
    p->name = tok_dup(ps, name);
    p->start = name->start;
    p->end = name->end;
    return p;
}

fe_stmt *fe_b_def(fe_pstate *ps, fe_vec *decorators, const fe_token *def, const fe_token *name,
                  fe_vec *params, fe_expr *returns, fe_vec *body)
{
    fe_stmt *s = fe_b_stmt(ps, FE_S_DEF, def->start, block_end(body, name->end));
    s->u.def.name = tok_dup(ps, name);
    s->u.def.name_start = name->start;
    s->u.def.name_end = name->end;
    if (decorators) {
        s->u.def.decorators = (fe_expr **)decorators->v;
        s->u.def.ndecorators = decorators->n;
    }
    fe_param *pv = jy_arena_calloc(ps->arena, params->n ? params->n : 1, sizeof *pv);
    if (pv) {
        for (size_t i = 0; i < params->n; i++)
            pv[i] = *(fe_param *)params->v[i];
        s->u.def.params = pv;
        s->u.def.nparams = params->n;
    }
    s->u.def.returns = returns;
    s->u.def.body = block_of(body);
    return s;
}

fe_stmt *fe_b_with(fe_pstate *ps, const fe_token *kw, fe_expr *ctx, const fe_token *as,
                   fe_vec *body)
{
    fe_stmt *s = fe_b_stmt(ps, FE_S_WITH, kw->start, block_end(body, ctx->end));
    s->u.with.ctx = ctx;
    if (as) {
        s->u.with.as = tok_dup(ps, as);
        s->u.with.as_start = as->start;
        s->u.with.as_end = as->end;
    }
    s->u.with.body = block_of(body);
    return s;
}

fe_ifchain *fe_b_if(fe_pstate *ps, fe_ifchain *chain, const fe_token *kw, fe_expr *cond,
                    fe_vec *body)
{
    static fe_ifchain dead;
    fe_stmt *s = fe_b_stmt(ps, FE_S_IF, kw->start, block_end(body, cond->end));
    s->u.if_.cond = cond;
    s->u.if_.body = block_of(body);
    if (!chain) {
        chain = alloc(ps, sizeof *chain);
        if (!chain)
            return &dead;
        chain->head = chain->tail = s;
        return chain;
    }
    /* elif: one FE_S_IF in the previous branch's orelse */
    fe_stmt **one = alloc(ps, sizeof *one);
    if (!one || !chain->tail)
        return chain;
    one[0] = s;
    chain->tail->u.if_.orelse.v = one;
    chain->tail->u.if_.orelse.n = 1;
    chain->tail = s;
    return chain;
}

fe_stmt *fe_b_if_end(fe_pstate *ps, fe_ifchain *chain, fe_vec *orelse)
{
    if (!chain->head)
        return fe_b_stmt(ps, FE_S_ERROR, 0, 0);
    uint32_t e = chain->tail ? chain->tail->end : chain->head->end;
    if (orelse && chain->tail) {
        chain->tail->u.if_.orelse = block_of(orelse);
        e = block_end(orelse, e);
    }
    /* every branch of the chain spans to its end (one walk: linear) */
    for (fe_stmt *t = chain->head; t; t = t != chain->tail ? t->u.if_.orelse.v[0] : NULL)
        t->end = e;
    return chain->head;
}

void fe_b_add_line(fe_pstate *ps, fe_vec *block, fe_line line)
{
    if (line.more)
        fe_b_extend(ps, block, line.more);
    else
        fe_b_push(ps, block, line.first);
}

fe_line fe_b_line_add(fe_pstate *ps, fe_line line, fe_stmt *s)
{
    if (!line.more) {
        line.more = fe_b_vec(ps);
        fe_b_push(ps, line.more, line.first);
    }
    fe_b_push(ps, line.more, s);
    return line;
}

fe_vec *fe_b_line_vec(fe_pstate *ps, fe_line line)
{
    if (line.more)
        return line.more;
    fe_vec *v = fe_b_vec(ps);
    fe_b_push(ps, v, line.first);
    return v;
}

fe_stmt *fe_b_error_stmt(fe_pstate *ps, uint32_t start, uint32_t end)
{
    return fe_b_stmt(ps, FE_S_ERROR, start, end);
}

fe_stmt *fe_b_stray_indent(fe_pstate *ps, const fe_token *indent, const fe_token *dedent)
{
    ps->nerrors++;
    jy_diag *g = jy_diag_at(ps->d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.unexpected-indent",
                            ps->src, indent->start, indent->start + 1, "unexpected indent");
    jy_diag_hint(g, "only the body of a 'def', 'if', 'elif', 'else' or 'with' is indented");
    return fe_b_error_stmt(ps, indent->start, dedent->end);
}

/* ------------------------------------------------------ syntax errors */

/* Python statements and expressions outside the subset. */
static const struct { const char *kw, *what; } python_logic[] = {
    {"for", "'for' loops"},
    {"while", "'while' loops"},
    {"return", "'return' statements"},
    {"class", "class definitions"},
    {"lambda", "lambda expressions"},
    {"try", "'try' blocks"},
    {"except", "'except' blocks"},
    {"finally", "'finally' blocks"},
    {"raise", "'raise' statements"},
    {"yield", "'yield' expressions"},
    {"async", "'async' functions"},
    {"await", "'await' expressions"},
    {"global", "'global' declarations"},
    {"nonlocal", "'nonlocal' declarations"},
    {"del", "'del' statements"},
    {"assert", "'assert' statements"},
    {"break", "'break' statements"},
    {"continue", "'continue' statements"},
    {"match", "'match' statements"},
    {"case", "'match' statements"},
};

/* How a token reads in a message: 'x', end of line, end of file... */
static void describe_tok(fe_pstate *ps, int major, const fe_token *t, char *out, size_t n)
{
    switch (major) {
    case 0: snprintf(out, n, "end of file"); return;
    case TK_NEWLINE: snprintf(out, n, "end of line"); return;
    case TK_INDENT: snprintf(out, n, "indent"); return;
    case TK_DEDENT: snprintf(out, n, "end of the indented block"); return;
    default: break;
    }
    const char *s = ps->src->text + t->start;
    size_t len = t->end - t->start, k = 0;
    while (k < len && k < 40 && s[k] != '\n' && s[k] != '\r')
        k++;
    snprintf(out, n, "'%.*s%s'", (int)k, s, k < len ? "..." : "");
}

static bool tok_is(fe_pstate *ps, const fe_token *t, const char *word)
{
    size_t n = strlen(word);
    return t->end - t->start == n && memcmp(ps->src->text + t->start, word, n) == 0;
}

static const char *const subset =
    "are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)";

/*
 * The %syntax_error of parser.y: word one message for the token `tok` (of
 * type `major`, 0 at the end of input) that the parser cannot take, given
 * `expect`, the FE_X_* set of tokens the state would have taken.  Nothing is
 * reported for a line the lexer already complained about.  Every call counts
 * as a parse error (fe_parse then returns -1).
 */
void fe_p_syntax_error(fe_pstate *ps, int major, const fe_token *tok, unsigned expect)
{
    if (ps->overflow)
        return;
    /* The lexer already reported this line's problem (or the token is the
     * lexer's ILLEGAL): one mistake, one message. */
    if (major == TK_ILLEGAL || fe_lexer_nerrors(ps->lx) > ps->lex_errors_mark) {
        ps->nerrors++;
        return;
    }
    ps->nerrors++;
    uint32_t s = major == 0 ? (uint32_t)ps->src->len : tok->start;
    uint32_t e = major == 0 ? s : tok->end;
    char what[64];
    describe_tok(ps, major, tok, what, sizeof what);
    jy_diags *d = ps->d;
    jy_diag *g;
    jy_source *src = ps->src;
    char ch;
    uint32_t bpos;
    unsigned line, col;

    /* `match` and `case` are soft keywords: names unless a statement starts
     * with one and goes on with a value */
    bool soft = major != TK_PYKW && ps->prev.type == TK_NAME &&
                ps->line_first.start == ps->prev.start &&
                (tok_is(ps, &ps->prev, "match") || tok_is(ps, &ps->prev, "case"));
    if (major == TK_PYKW || soft) {
        const fe_token *k = major == TK_PYKW ? tok : &ps->prev;
        bool was_try = ps->after_try, was_match = ps->after_match;
        ps->after_try = tok_is(ps, k, "try");
        ps->after_match = tok_is(ps, k, "match");
        if (was_try && (tok_is(ps, k, "except") || tok_is(ps, k, "finally")))
            return; /* the 'try' was reported: its handlers are the same mistake */
        if (was_match && tok_is(ps, k, "case"))
            return;
        if (tok_is(ps, k, "case"))
            k = &ps->prev, ps->after_match = true;
        if (tok_is(ps, k, "for") && ps->line_first.start != k->start) {
            g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.python-logic", src, k->start,
                           k->end, "comprehensions %s", subset);
            jy_diag_hint(g, "write the values out: [\"a\", \"b\"]");
            return;
        }
        for (size_t i = 0; i < JY_COUNTOF(python_logic); i++) {
            if (tok_is(ps, k, python_logic[i].kw)) {
                g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.python-logic", src,
                               k->start, k->end, "%s %s", python_logic[i].what, subset);
                if (tok_is(ps, k, "for") || tok_is(ps, k, "while"))
                    jy_diag_hint(g, "to update rows in batches use op.backfill(table, set={...}, "
                                    "where=..., batch_size=N)");
                else if (tok_is(ps, k, "return"))
                    jy_diag_hint(g, "a migration function needs no 'return'; remove it");
                return;
            }
        }
    }
    ps->after_try = ps->after_match = false;
    if (major == TK_LBRACKET && (ps->prev.type == TK_NAME || ps->prev.type == TK_RPAREN ||
                                 ps->prev.type == TK_RBRACKET || ps->prev.type == TK_STRING) &&
        ps->prev.end == tok->start) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.python-logic", src, s, e,
                       "subscripts and slices %s", subset);
        jy_diag_hint(g, "write the value itself instead of indexing into a constant");
        return;
    }
    if (major == TK_PYOP) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.python-operator", src, s, e,
                       "the %s operator is Python logic; joryuc compiles a declarative subset "
                       "(see docs/SPEC.md)", what);
        if (tok_is(ps, tok, "+"))
            jy_diag_hint(g, "adjacent string literals are joined without '+': \"a\" \"b\"");
        else if (tok_is(ps, tok, "<") || tok_is(ps, tok, ">") || tok_is(ps, tok, "<=") ||
                 tok_is(ps, tok, ">="))
            jy_diag_hint(g, "conditions compare op.dialect.name with '==' or '!='");
        return;
    }
    if (ps->block_expected && (expect & FE_X_INDENT) && major != TK_INDENT &&
        ps->header.end > ps->header.start) {
        jy_source_linecol(src, ps->header.start, &line, &col);
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected-block", src, s, e,
                       "expected an indented block after '%.*s' on line %u",
                       (int)(ps->header.end - ps->header.start), src->text + ps->header.start,
                       line);
        jy_diag_hint(g, "indent the body by 4 spaces, or write 'pass' for an empty body");
        return;
    }
    if (major != 0 && fe_lexer_open_bracket(ps->lx, &ch, &bpos)) {
        unsigned tline, tcol;
        jy_source_linecol(src, bpos, &line, &col);
        jy_source_linecol(src, tok->start, &tline, &tcol);
        if (tline > line) {
            char close = ch == '(' ? ')' : ch == '[' ? ']' : '}';
            g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.unclosed-bracket", src, s, e,
                           "expected '%c' to close '%c' at %u:%u", close, ch, line, col);
            jy_diag_hint(g, "an open bracket joins the following lines into one statement; "
                            "is a ',' or '%c' missing before %s?", close, what);
            fe_lexer_bracket_reported(ps->lx);
            return;
        }
    }
    if (major == 0) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.unexpected-eof", src, s, e,
                       "unexpected end of file");
        if (expect & FE_X_DEF)
            jy_diag_hint(g, "a decorator must be followed by a 'def'");
        return;
    }
    if ((expect & FE_X_COLON) && !(expect & (FE_X_EXPR | FE_X_NAME | FE_X_RPAREN |
                                             FE_X_RBRACKET | FE_X_RBRACE))) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                       "expected ':', found %s", what);
        if (tok_is(ps, tok, "="))
            jy_diag_hint(g, "compare with '=='");
        return;
    }
    unsigned closers = expect & (FE_X_RPAREN | FE_X_RBRACKET | FE_X_RBRACE);
    if (closers && !(closers & (closers - 1)) && !(expect & (FE_X_EXPR | FE_X_NAME)) &&
        major != TK_COMMA) {
        char c = closers == FE_X_RPAREN ? ')' : closers == FE_X_RBRACKET ? ']' : '}';
        /* a value where the list goes on: most likely a missing comma */
        bool value = major == TK_NAME || major == TK_STRING || major == TK_INTEGER ||
                     major == TK_FLOAT || major == TK_LPAREN || major == TK_LBRACKET ||
                     major == TK_LBRACE || major == TK_TRUE || major == TK_FALSE ||
                     major == TK_NONE || (expect & FE_X_COMMA);
        if (value)
            g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                           "expected ',' or '%c', found %s", c, what);
        else
            g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                           "expected '%c', found %s", c, what);
        return;
    }
    if (expect == FE_X_NAME) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                       "expected a name, found %s", what);
        if (major == TK_STAR)
            jy_diag_hint(g, "import the names you use: from joryu import op, types as t");
        return;
    }
    if (expect == FE_X_IMPORT) {
        jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                   "expected 'import', found %s", what);
        return;
    }
    if (expect == FE_X_DEF || expect == (FE_X_DEF | FE_X_NAME)) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.expected", src, s, e,
                       "expected 'def' after the decorator, found %s", what);
        return;
    }
    if (major == TK_NEWLINE) {
        g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.unexpected-eol", src, s, e,
                       "unexpected end of line: the statement is incomplete");
        return;
    }
    g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.syntax", src, s, e,
                   "invalid syntax near %s", what);
    if ((major == TK_ELSE || major == TK_ELIF) && ps->line_first.start == tok->start)
        jy_diag_hint(g, "'%s' must follow an 'if' block at the same indentation",
                     major == TK_ELSE ? "else" : "elif");
    else if (major == TK_EQ)
        jy_diag_hint(g, "compare with '=='; assign only as `NAME = value` on its own line");
    else if ((major == TK_NAME || major == TK_STRING || major == TK_INTEGER) &&
             (ps->prev.type == TK_NAME || ps->prev.type == TK_RPAREN ||
              ps->prev.type == TK_STRING || ps->prev.type == TK_INTEGER ||
              ps->prev.type == TK_RBRACKET) && (expect & (FE_X_RPAREN | FE_X_RBRACKET |
                                                          FE_X_RBRACE)))
        jy_diag_hint(g, "is a ',' missing before %s?", what);
    else if (major == TK_COMMA && !fe_lexer_open_bracket(ps->lx, &ch, &bpos))
        jy_diag_hint(g, "a tuple needs parentheses: (a, b)");
    else if (major == TK_COMMA)
        jy_diag_hint(g, "remove the extra ','");
}

/* %stack_overflow: lemon emptied its stack; the driver stops feeding it. */
void fe_p_stack_overflow(fe_pstate *ps)
{
    ps->overflow = true;
    ps->nerrors++;
    jy_diag *g = jy_diag_at(ps->d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.too-deep", ps->src,
                            ps->cur.start, ps->cur.end, "expression nested too deeply");
    jy_diag_hint(g, "split the expression; migrations never need this much nesting");
}

/* %parse_failure: lemon gave up (end of input during recovery); make sure
 * the failure was reported at least once. */
void fe_p_parse_failure(fe_pstate *ps)
{
    ps->failed = true;
    if (ps->nerrors == 0 && fe_lexer_nerrors(ps->lx) == 0) {
        ps->nerrors++;
        jy_diag_at(ps->d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.syntax", ps->src, ps->cur.start,
                   ps->cur.end, "invalid syntax");
    }
}

void *fe_parser_stack_grow(void *old, size_t bytes)
{
    if (bytes > FE_PARSER_STACK_BYTES)
        return NULL; /* lemon then calls %stack_overflow */
    return realloc(old, bytes);
}

/* -------------------------------------------------------------- driver */

/*
 * fe_parse: lex and parse src into a module in `arena`.  The driver keeps
 * the context that syntax messages need (the token before the current one,
 * the first token of the logical line, the header of the last block) and
 * remembers how many lexer errors there were when the line began, so that a
 * line the lexer already complained about gets no second message.
 */
int fe_parse(jy_source *src, jy_arena *arena, jy_diags *d, fe_module **out)
{
    *out = NULL;
    fe_pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.src = src;
    ps.arena = arena;
    ps.d = d;
    if (src->len >= UINT32_MAX) { /* positions are 32-bit byte offsets */
        jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.too-large", src, 0, 0,
                   "file too large to compile");
        return -1;
    }
    ps.lx = fe_lexer_new(src, arena, d);
    void *parser = ps.lx ? feParseAlloc(malloc, &ps) : NULL;
    if (!parser) {
        jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.oom", src, 0, 0, "out of memory");
        return -1;
    }
    fe_token tok;
    int t;
    bool line_start = true;
    do {
        t = fe_lexer_next(ps.lx, &tok);
        if (line_start && t != TK_INDENT && t != TK_DEDENT && t != TK_NEWLINE && t != 0) {
            ps.line_first = tok;
            line_start = false;
        }
        ps.cur = tok;
        feParse(parser, t, tok);
        if (ps.overflow || ps.failed)
            break;
        ps.block_expected = false;
        if (t == TK_NEWLINE) {
            if (ps.prev.type == TK_COLON) {
                ps.header = ps.line_first;
                ps.block_expected = true;
            }
            line_start = true;
            ps.lex_errors_mark = fe_lexer_nerrors(ps.lx);
        }
        ps.prev = tok;
    } while (t != 0);
    feParseFree(parser, free);

    fe_module *m = jy_arena_alloc(arena, sizeof *m);
    if (!m || jy_arena_failed(arena)) {
        jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.oom", src, 0, 0, "out of memory");
        return -1;
    }
    m->src = src;
    if (ps.body)
        m->body = block_of(ps.body);
    else if (ps.top) /* abandoned parse: the statements completed so far */
        m->body = block_of(ps.top);
    m->comments = fe_lexer_comments(ps.lx, &m->ncomments);
    int rc = ps.nerrors || fe_lexer_nerrors(ps.lx) ? -1 : 0;
    fe_lexer_free(ps.lx);
    *out = m;
    return rc;
}
