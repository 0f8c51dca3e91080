/*
 * bundle.c - the .jyb file: writer (vm_bundle_serialize, vm_bundle_write)
 * and loader (vm_bundle_load, vm_bundle_load_memory).  docs/BUNDLE.md is
 * the specification; the constants below are its tables.
 *
 * The loader treats its input as untrusted.  It checks, in this order and
 * before it builds anything: the magic, the format version, the header's
 * size and reserved fields, the file size against the header, the SHA-256
 * of the body, that the section counts add up to the body size; then every
 * string (in range, NUL-terminated, no NUL inside, valid UTF-8), every
 * instruction (opcode, flags, operands by their kind in opcodes.def), every
 * step (string indexes, flags, code range, body shape), every script (step
 * range, flags), every migration (string indexes, sorted unique ids, enum
 * values, ranges of references, scripts) and every apply order (a
 * permutation of the migrations compiled for the dialect that respects
 * depends_on).  The first problem found is reported as one bundle.*
 * diagnostic and nothing is built.  Every read of the input goes through
 * rd32/rd64 at an offset already proved in range (the one exception: a
 * load that keeps all the code hands the checked instruction records to
 * the steps as vm_insn, their layout on a little-endian host).
 */
/* OpenSSL's direct SHA-256 interface (SHA256_Init...), deprecated in 3.0 but
 * kept: EVP_sha256() would first load OpenSSL's providers and its
 * configuration file, about 1 ms per process, more than hashing a
 * 100-migration bundle takes.  The same assembly (SHA extensions) does the
 * hashing either way. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "vm.h"

/* ------------------------------------------------------------ the format */

enum {
    HDR_SIZE = 128,
    STR_REC = 8,     /* u32 offset, u32 length */
    MIG_REC = 68,
    SCRIPT_REC = 16,
    STEP_REC = 28,
    REF_REC = 4,
    ORDER_REC = 4,
    INSN_REC = 16
};

/* Header offsets.  The first 64 bytes (the prelude) are checked field by
 * field; the SHA-256 covers everything from H_HASHED to the end of the
 * file: the rest of the header and the body. */
enum {
    H_MAGIC = 0,
    H_VERSION = 8,
    H_HDRSIZE = 12,
    H_BODYSIZE = 16,  /* u64: bytes after the header */
    H_RESERVED0 = 24, /* 8 bytes of zeros */
    H_SHA = 32,       /* 32 bytes */
    H_HASHED = 64,
    H_FLAGS = 64,
    H_DIALECTS = 68,
    H_VERSTR = 72,
    H_NSTRINGS = 76,
    H_STRDATA = 80,
    H_NMIGS = 84,
    H_NSCRIPTS = 88,
    H_NSTEPS = 92,
    H_NREFS = 96,
    H_NORDER = 100,   /* u32[4], one per dialect */
    H_NCODE = 116,
    H_RESERVED = 120  /* 8 bytes of zeros */
};

/* Migration record offsets. */
enum {
    M_ID = 0,
    M_FILE = 4,
    M_CHECKSUM = 8,
    M_DOWNSUM = 12,
    M_DEPS_FIRST = 16,
    M_NDEPS = 20,
    M_EFF_FIRST = 24,
    M_NEFF = 28,
    M_TXMODE = 32,   /* u8 */
    M_MISMATCH = 33, /* u8 */
    M_DIALECTS = 34, /* u8 */
    M_RESERVED = 35, /* u8, 0 */
    M_UP = 36,       /* u32[4] script index or NONE */
    M_DOWN = 52      /* u32[4] */
};

/* Script flags. */
enum { SC_SYNTHESIZED = 1u, SC_IRREVERSIBLE = 2u, SC_KNOWN = 3u };

#define NONE32 0xFFFFFFFFu
#define STEP_KNOWN (VM_STEP_NO_TX | VM_STEP_DESTRUCTIVE | VM_STEP_BACKFILL)
#define INSN_KNOWN VM_F_EXPECT_NO_ROWS
/* The largest bundle vm_bundle_load reads (a 5,000-migration history is a
 * few MB). */
#define BUNDLE_MAX_BYTES (1024ull * 1024u * 1024u)

_Static_assert(IR_D__COUNT == 4, "the bundle format has four dialect slots");

/* ---------------------------------------------------- little-endian I/O */

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static void wr16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

/* SHA-256 of data as 32 raw bytes. */
static void sha256_raw(const void *data, size_t len, unsigned char out[32])
{
    SHA256(data, len, out);
}

/* ------------------------------------------------------------- sections */

/* Where each section starts in the file (computed from the counts: the
 * order is fixed, docs/BUNDLE.md). */
typedef struct layout {
    uint32_t nstrings, strdata, nmigs, nscripts, nsteps, nrefs, ncode;
    uint32_t norder[IR_D__COUNT];
    uint64_t norder_total;
    uint64_t o_strings, o_migs, o_scripts, o_steps, o_refs, o_order, o_code, o_strdata, end;
} layout;

/* Fill the offsets from the counts (64-bit arithmetic: no overflow with
 * 32-bit counts). */
static void layout_compute(layout *l)
{
    l->norder_total = 0;
    for (int i = 0; i < IR_D__COUNT; i++)
        l->norder_total += l->norder[i];
    l->o_strings = HDR_SIZE;
    l->o_migs = l->o_strings + (uint64_t)l->nstrings * STR_REC;
    l->o_scripts = l->o_migs + (uint64_t)l->nmigs * MIG_REC;
    l->o_steps = l->o_scripts + (uint64_t)l->nscripts * SCRIPT_REC;
    l->o_refs = l->o_steps + (uint64_t)l->nsteps * STEP_REC;
    l->o_order = l->o_refs + (uint64_t)l->nrefs * REF_REC;
    l->o_code = l->o_order + l->norder_total * ORDER_REC;
    l->o_strdata = l->o_code + (uint64_t)l->ncode * INSN_REC;
    l->end = l->o_strdata + l->strdata;
}

/* ================================================================ writer */

/* Content -> index map over the string table being written. */
typedef struct strmap {
    const char **list;
    uint32_t n, cap;
    uint32_t *slots;
    size_t nslots;
    bool failed;
} strmap;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static bool strmap_grow(strmap *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 1024;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t i = 0; i < m->n; i++) {
        size_t j = (size_t)fnv(m->list[i]) & (ns - 1);
        while (slots[j])
            j = (j + 1) & (ns - 1);
        slots[j] = i + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = ns;
    return true;
}

/* Append s as a new entry (even when present: the seed table keeps its
 * indexes); the map keeps the first index of each content. */
static uint32_t strmap_push(strmap *m, const char *s, bool dedupe)
{
    if (m->failed)
        return 0;
    if ((size_t)(m->n + 1) * 2 > m->nslots && !strmap_grow(m)) {
        m->failed = true;
        return 0;
    }
    size_t j = (size_t)fnv(s) & (m->nslots - 1);
    while (m->slots[j]) {
        if (strcmp(m->list[m->slots[j] - 1], s) == 0) {
            if (dedupe)
                return m->slots[j] - 1;
            break; /* keep the first index in the map */
        }
        j = (j + 1) & (m->nslots - 1);
    }
    if (m->n >= NONE32 - 1) {
        m->failed = true;
        return 0;
    }
    if (m->n == m->cap) {
        uint32_t nc = m->cap ? m->cap * 2 : 1024;
        const char **nl = realloc(m->list, (size_t)nc * sizeof *nl);
        if (!nl) {
            m->failed = true;
            return 0;
        }
        m->list = nl;
        m->cap = nc;
    }
    m->list[m->n] = s;
    if (!m->slots[j])
        m->slots[j] = m->n + 1;
    return m->n++;
}

static uint32_t str_ix(strmap *m, const char *s)
{
    return strmap_push(m, s ? s : "", true);
}

static void strmap_free(strmap *m)
{
    free(m->list);
    free(m->slots);
}

/* Is the in-memory bundle fit to be written (what the loader will check
 * of the parts a writer copies verbatim)?  NULL, or what is wrong. */
static const char *writable(const vm_bundle *b)
{
    if (b->dialects & ~IR_DMASK_ALL)
        return "unknown dialect bits";
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *m = &b->migs[i];
        if (!m->id || (i && strcmp(b->migs[i - 1].id, m->id) >= 0))
            return "migrations not sorted by id";
        for (int d = 0; d < IR_D__COUNT; d++)
            for (int w = 0; w < 2; w++) {
                const vm_script *s = w ? &m->down[d] : &m->up[d];
                for (uint32_t k = 0; k < s->nsteps; k++)
                    for (uint32_t j = 0; j < s->steps[k].ncode; j++) {
                        const vm_insn *in = &s->steps[k].code[j];
                        const vm_opcode_info *oi = vm_opcode_get(in->op);
                        if (!oi)
                            return "an unknown opcode";
                        const vm_operand_kind kinds[3] = {oi->a, oi->b, oi->c};
                        const uint32_t v[3] = {in->a, in->b, in->c};
                        for (int o = 0; o < 3; o++)
                            if (kinds[o] == VM_OPND_STR && v[o] >= b->nstrings)
                                return "a string operand out of the string table";
                    }
            }
    }
    for (int d = 0; d < IR_D__COUNT; d++)
        for (uint32_t k = 0; k < b->norder[d]; k++)
            if (b->order[d][k] >= b->nmigs)
                return "an apply order index out of range";
    return NULL;
}

int vm_bundle_serialize(const vm_bundle *b, unsigned char **data, size_t *len, jy_diags *d)
{
    *data = NULL;
    *len = 0;
    const char *why = writable(b);
    if (why) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.invalid", NULL,
                      "cannot write this bundle: %s (a bug in the assembler)", why);
        return -1;
    }
    strmap sm = {0};
    for (uint32_t i = 0; i < b->nstrings; i++)
        strmap_push(&sm, b->strings[i] ? b->strings[i] : "", false);

    /* counts, and every string in the table */
    layout l = {0};
    l.nmigs = b->nmigs;
    uint64_t nscripts = 0, nsteps = 0, nrefs = 0, ncode = 0;
    uint32_t verstr = str_ix(&sm, b->joryu_version ? b->joryu_version : "");
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *m = &b->migs[i];
        str_ix(&sm, m->id);
        str_ix(&sm, m->file);
        str_ix(&sm, m->checksum);
        str_ix(&sm, m->down_checksum);
        for (uint32_t k = 0; k < m->ndepends; k++)
            str_ix(&sm, m->depends_on[k]);
        for (uint32_t k = 0; k < m->neffects; k++)
            str_ix(&sm, m->effects[k]);
        nrefs += (uint64_t)m->ndepends + m->neffects;
        for (int dl = 0; dl < IR_D__COUNT; dl++)
            for (int w = 0; w < 2; w++) {
                const vm_script *s = w ? &m->down[dl] : &m->up[dl];
                if (!s->present)
                    continue;
                nscripts++;
                if (s->reason)
                    str_ix(&sm, s->reason);
                nsteps += s->nsteps;
                for (uint32_t k = 0; k < s->nsteps; k++) {
                    str_ix(&sm, s->steps[k].op_kind);
                    str_ix(&sm, s->steps[k].fingerprint);
                    str_ix(&sm, s->steps[k].summary);
                    ncode += s->steps[k].ncode;
                }
            }
    }
    uint64_t strdata = 0;
    for (uint32_t i = 0; i < sm.n; i++)
        strdata += strlen(sm.list[i]) + 1;
    if (sm.failed || nscripts >= NONE32 || nsteps >= NONE32 || nrefs >= NONE32 ||
        ncode >= NONE32 || strdata >= NONE32) {
        strmap_free(&sm);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.too-large", NULL,
                      "the bundle is too large for the format (or out of memory)");
        return -1;
    }
    l.nstrings = sm.n;
    l.strdata = (uint32_t)strdata;
    l.nscripts = (uint32_t)nscripts;
    l.nsteps = (uint32_t)nsteps;
    l.nrefs = (uint32_t)nrefs;
    l.ncode = (uint32_t)ncode;
    for (int dl = 0; dl < IR_D__COUNT; dl++)
        l.norder[dl] = b->norder[dl];
    layout_compute(&l);
    if (l.end > BUNDLE_MAX_BYTES) {
        strmap_free(&sm);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.too-large", NULL,
                      "the bundle would be %llu bytes, over the limit of %llu",
                      (unsigned long long)l.end, (unsigned long long)BUNDLE_MAX_BYTES);
        return -1;
    }
    unsigned char *out = calloc(1, (size_t)l.end);
    if (!out) {
        strmap_free(&sm);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.out-of-memory", NULL,
                      "out of memory while writing the bundle");
        return -1;
    }

    /* strings */
    uint32_t off = 0;
    for (uint32_t i = 0; i < sm.n; i++) {
        size_t n = strlen(sm.list[i]);
        unsigned char *rec = out + l.o_strings + (uint64_t)i * STR_REC;
        wr32(rec, off);
        wr32(rec + 4, (uint32_t)n);
        memcpy(out + l.o_strdata + off, sm.list[i], n + 1);
        off += (uint32_t)n + 1;
    }
    /* migrations, scripts, steps, code, refs */
    uint32_t iscript = 0, istep = 0, iref = 0, icode = 0;
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *m = &b->migs[i];
        unsigned char *rec = out + l.o_migs + (uint64_t)i * MIG_REC;
        wr32(rec + M_ID, str_ix(&sm, m->id));
        wr32(rec + M_FILE, str_ix(&sm, m->file));
        wr32(rec + M_CHECKSUM, str_ix(&sm, m->checksum));
        wr32(rec + M_DOWNSUM, str_ix(&sm, m->down_checksum));
        wr32(rec + M_DEPS_FIRST, iref);
        wr32(rec + M_NDEPS, m->ndepends);
        for (uint32_t k = 0; k < m->ndepends; k++)
            wr32(out + l.o_refs + (uint64_t)iref++ * REF_REC, str_ix(&sm, m->depends_on[k]));
        wr32(rec + M_EFF_FIRST, iref);
        wr32(rec + M_NEFF, m->neffects);
        for (uint32_t k = 0; k < m->neffects; k++)
            wr32(out + l.o_refs + (uint64_t)iref++ * REF_REC, str_ix(&sm, m->effects[k]));
        rec[M_TXMODE] = (unsigned char)m->tx_mode;
        rec[M_MISMATCH] = (unsigned char)m->on_mismatch;
        rec[M_DIALECTS] = (unsigned char)(m->dialects & IR_DMASK_ALL);
        for (int dl = 0; dl < IR_D__COUNT; dl++)
            for (int w = 0; w < 2; w++) {
                const vm_script *s = w ? &m->down[dl] : &m->up[dl];
                unsigned char *slot = rec + (w ? M_DOWN : M_UP) + 4 * dl;
                if (!s->present) {
                    wr32(slot, NONE32);
                    continue;
                }
                wr32(slot, iscript);
                unsigned char *sr = out + l.o_scripts + (uint64_t)iscript++ * SCRIPT_REC;
                wr32(sr, (s->synthesized ? SC_SYNTHESIZED : 0u) |
                             (s->irreversible ? SC_IRREVERSIBLE : 0u));
                wr32(sr + 4, s->reason ? str_ix(&sm, s->reason) : NONE32);
                wr32(sr + 8, istep);
                wr32(sr + 12, s->nsteps);
                for (uint32_t k = 0; k < s->nsteps; k++) {
                    const vm_step *st = &s->steps[k];
                    unsigned char *tr = out + l.o_steps + (uint64_t)istep++ * STEP_REC;
                    wr32(tr, str_ix(&sm, st->op_kind));
                    wr32(tr + 4, str_ix(&sm, st->fingerprint));
                    wr32(tr + 8, str_ix(&sm, st->summary));
                    wr32(tr + 12, st->line);
                    wr32(tr + 16, st->flags);
                    wr32(tr + 20, icode);
                    wr32(tr + 24, st->ncode);
                    for (uint32_t j = 0; j < st->ncode; j++) {
                        const vm_insn *in = &st->code[j];
                        unsigned char *ir = out + l.o_code + (uint64_t)icode++ * INSN_REC;
                        ir[0] = in->op;
                        ir[1] = in->flags;
                        wr16(ir + 2, in->aux);
                        wr32(ir + 4, in->a);
                        wr32(ir + 8, in->b);
                        wr32(ir + 12, in->c);
                    }
                }
            }
    }
    /* apply orders */
    uint64_t io = 0;
    for (int dl = 0; dl < IR_D__COUNT; dl++)
        for (uint32_t k = 0; k < b->norder[dl]; k++)
            wr32(out + l.o_order + io++ * ORDER_REC, b->order[dl][k]);

    /* the header */
    memcpy(out + H_MAGIC, VM_MAGIC, 8);
    wr32(out + H_VERSION, VM_FORMAT_VERSION);
    wr32(out + H_HDRSIZE, HDR_SIZE);
    wr32(out + H_FLAGS, b->flags);
    wr32(out + H_DIALECTS, b->dialects);
    wr64(out + H_BODYSIZE, l.end - HDR_SIZE);
    wr32(out + H_NSTRINGS, l.nstrings);
    wr32(out + H_STRDATA, l.strdata);
    wr32(out + H_NMIGS, l.nmigs);
    wr32(out + H_NSCRIPTS, l.nscripts);
    wr32(out + H_NSTEPS, l.nsteps);
    wr32(out + H_NREFS, l.nrefs);
    for (int dl = 0; dl < IR_D__COUNT; dl++)
        wr32(out + H_NORDER + 4 * dl, l.norder[dl]);
    wr32(out + H_NCODE, l.ncode);
    wr32(out + H_VERSTR, verstr);
    sha256_raw(out + H_HASHED, (size_t)(l.end - H_HASHED), out + H_SHA);
    bool failed = sm.failed;
    strmap_free(&sm);
    if (failed) {
        free(out);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.out-of-memory", NULL,
                      "out of memory while writing the bundle");
        return -1;
    }
    *data = out;
    *len = (size_t)l.end;
    return 0;
}

/* Write all of p to fd.  0, or errno. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int vm_bundle_write(const vm_bundle *b, const char *path, jy_diags *d)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (vm_bundle_serialize(b, &data, &len, d))
        return -1;
    /* a temporary file in the same folder, renamed over path when whole */
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) {
        free(data);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", path, "out of memory");
        return -1;
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.write", path,
                      "cannot create %s: %s", path, strerror(e));
        free(tmp);
        free(data);
        return -1;
    }
    int e = write_all(fd, data, len);
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    /* mkstemp made it 0600: give it the mode a plain create would have */
    mode_t um = umask(0);
    umask(um);
    if (!e && chmod(tmp, 0666 & ~um) != 0)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.write", path,
                      "cannot write %s: %s (nothing was written)", path, strerror(e));
    }
    free(tmp);
    free(data);
    return e ? -1 : 0;
}

/* ================================================================ loader */

/* Where the input comes from: a file (read with pread in chunks) or
 * memory.  Everything after the 128-byte header passes through src_read or
 * src_drain, which feed the SHA-256. */
typedef struct src {
    int fd;                    /* >= 0: a file */
    const unsigned char *mem;  /* else: memory */
    uint64_t len;              /* input size (fstat or given) */
    uint64_t pos;              /* next offset to fetch */
    const unsigned char *cur, *end; /* the current window */
    unsigned char *buf;        /* file: the chunk buffer */
    SHA256_CTX md;             /* bytes 64.. of the input, as they pass */
    int err;                   /* errno of a failed read */
    bool changed;              /* the file ended early or grew while read */
} src;

typedef struct loader {
    const unsigned char *p; /* the header (128 bytes) */
    const unsigned char *ent; /* the string entries (8 bytes each, read into the
                                 memory of strs: entry i is read before strs[i]
                                 is set) */
    const unsigned char *r; /* the record sections from the migrations on: file
                               offset l.o_migs is r[0] (see sec) */
    const unsigned char *c; /* the code section: in r, or (insns_kept) read
                               straight into the bundle's arena */
    bool insns_kept;        /* c is the bundle's vm_insn array (see load) */
    size_t len;             /* the input's size */
    const char *name;       /* the file, for messages */
    jy_diags *d;
    layout l;
    ir_dmask want;          /* dialects whose code is kept */
    unsigned code;          /* VM_KEEP_UP_CODE | VM_KEEP_DOWN_CODE: whose statements */
    const char **strs;      /* string i, or NULL when not kept (in arena) */
    jy_arena *a;            /* the bundle's arena */
    bool lazy_ok;           /* a file: long operands may stay in it */
    struct vm_lazy *lazy;   /* the operands left in the file (in arena) */
} loader;

/* Are the code section's records laid out as vm_insn (16 bytes: op, flags,
 * u16 aux, u32 a, b, c, little-endian)?  Then a load that keeps all the code
 * reads them straight into the bundle (see load). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
_Static_assert(sizeof(vm_insn) == INSN_REC && offsetof(vm_insn, flags) == 1 &&
                   offsetof(vm_insn, aux) == 2 && offsetof(vm_insn, a) == 4 &&
                   offsetof(vm_insn, b) == 8 && offsetof(vm_insn, c) == 12,
               "vm_insn is the code record");
#define INSNS_AS_RECORDS 1
#else
#define INSNS_AS_RECORDS 0
#endif

/* The record section that starts at file offset off (o_migs .. o_order;
 * the code is at ld->c). */
static const unsigned char *sec(const loader *ld, uint64_t off)
{
    return ld->r + (off - ld->l.o_migs);
}

/* Operands at least this long stay in the file until they run (a
 * 5,000-migration history holds megabytes of upgrade SQL that a no-op
 * apply never reads). */
#define LAZY_MIN 64u

/* A string left in the file: where, how long, its fingerprint. */
typedef struct vm_lazy_str {
    uint32_t ix, len;
    uint64_t off; /* file offset of its first byte */
    unsigned char fp[16];
} vm_lazy_str;

struct vm_lazy {
    int fd;                /* the bundle file, open while the bundle lives */
    const char **strs;     /* the bundle's string table (filled on first use) */
    vm_lazy_str *v;        /* sorted by ix */
    uint32_t n, cap;
    uint64_t key[4];       /* the fingerprints' key, random for each load */
};

/*
 * The fingerprint of a string left in the file: 128 bits of keyed
 * multiply-mix hashing (two 64-bit lanes, wyhash's mixing step), taken from
 * the same private bytes that fed the body's SHA-256 at load, compared when
 * the string is read back.  It tells an in-place rewrite of the file from
 * the bytes checked at load; it is not a second integrity check of the
 * bundle (the SHA-256 is; and a writer of the file could write a whole new
 * bundle with a right SHA-256 anyway).  A SHA-256 of each such string cost
 * a no-op apply at N = 5,000 about 3 ms; this, about a tenth of that.
 */
static uint64_t fp_mix(uint64_t x, uint64_t y)
{
    unsigned __int128 r = (unsigned __int128)x * y;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static void fingerprint(const uint64_t key[4], const unsigned char *p, size_t n,
                        unsigned char out[16])
{
    uint64_t h1 = key[0] ^ fp_mix(n ^ key[1], 0x9e3779b97f4a7c15ull);
    uint64_t h2 = key[2] ^ fp_mix(n ^ key[3], 0xa0761d6478bd642full);
    size_t i = 0;
    for (; n - i >= 16; i += 16) {
        uint64_t a, b;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + i + 8, 8);
        h1 = fp_mix(a ^ key[0], b ^ h1);
        h2 = fp_mix(b ^ key[2], a ^ h2 ^ key[3]);
    }
    uint64_t a = 0, b = 0;
    size_t r = n - i;
    memcpy(&a, p + i, r < 8 ? r : 8);
    if (r > 8)
        memcpy(&b, p + i + 8, r - 8);
    h1 = fp_mix(a ^ key[0] ^ 0x8ebc6af09c88c6e3ull, b ^ h1);
    h2 = fp_mix(b ^ key[2] ^ 0x589965cc75374cc3ull, a ^ h2 ^ key[3]);
    uint64_t o1 = fp_mix(h1 ^ key[1], h2 ^ 0xe7037ed1a0b428dbull);
    uint64_t o2 = fp_mix(h2 ^ key[3], h1 ^ 0x1d8e4e27c47d124full);
    memcpy(out, &o1, 8);
    memcpy(out + 8, &o2, 8);
}

/* A key for the fingerprints: random, else (no getrandom) from the clock
 * and addresses: unpredictable is a bonus, not what they rely on. */
static void fingerprint_key(uint64_t key[4])
{
    static const uint64_t base[4] = {0x2d358dccaa6c78a5ull, 0x8bb84b93962eacc9ull,
                                     0x4b33a62ed433d4a3ull, 0x4d5a2da51de1aa47ull};
    uint64_t r[4] = {0};
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        r[0] = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32;
        r[1] = (uint64_t)(uintptr_t)key;
    }
    for (int i = 0; i < 4; i++)
        key[i] = base[i] ^ r[i];
}

static const char *const rebuild = "rebuild it with `joryuc build`";

/* One refusal: the diagnostic, and -1. */
static int refuse(loader *ld, const char *code, const char *fmt, ...) JY_PRINTF(3, 4);
static int refuse(loader *ld, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jy_diag_where(ld->d, JY_SEV_ERROR, JY_EXIT_ERROR, code, ld->name, "%s", msg);
    return -1;
}

/* Is s[0..n) text: no NUL byte, valid UTF-8 (no overlong forms, no
 * surrogates, <= U+10FFFF)?  TEXT_OK, TEXT_NUL (a NUL anywhere in it, even
 * after a UTF-8 error), or TEXT_UTF8 with *bad the offset of the first bad
 * byte.  One pass: eight bytes at a time while they are ASCII and not 0. */
enum { TEXT_OK, TEXT_NUL, TEXT_UTF8 };
static bool utf8_valid(const unsigned char *s, size_t n, size_t *bad);
static int text_check(const unsigned char *s, size_t n, size_t *bad)
{
    if (utf8_valid(s, n, bad))
        return TEXT_OK;
    return memchr(s, 0, n) ? TEXT_NUL : TEXT_UTF8;
}

/* Valid UTF-8 without a NUL byte (false at the first bad byte: *bad). */
static bool utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        /* eight bytes at a time while each is 0x01..0x7f: a byte that is 0
           or >= 0x80 sets its top bit in w | (w - 0x01..01), and no borrow
           crosses into it from the bytes below, which are >= 1 */
        const uint64_t one = 0x0101010101010101ull, top = 0x8080808080808080ull;
        while (n - i >= 32) {
            uint64_t w[4];
            memcpy(w, s + i, 32);
            if ((w[0] | (w[0] - one) | w[1] | (w[1] - one) | w[2] | (w[2] - one) | w[3] |
                 (w[3] - one)) &
                top)
                break;
            i += 32;
        }
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w | (w - one)) & top)
                break;
            i += 8;
        }
        if (i < n && n - i < 8 && n >= 8) { /* the tail: the last eight bytes */
            uint64_t w;
            memcpy(&w, s + n - 8, 8);
            if (!((w | (w - one)) & top))
                break; /* s[n-8..n) is ASCII without NUL, and s[0..i) was checked */
        }
        if (i >= n)
            break;
        unsigned c = s[i];
        size_t k;
        uint32_t cp, min;
        if (c == 0) {
            *bad = i;
            return false;
        } else if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            *bad = i;
            return false;
        }
        if (n - i <= k) {
            *bad = i;
            return false;
        }
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) {
                *bad = i;
                return false;
            }
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad = i;
            return false;
        }
        i += k + 1;
    }
    return true;
}

/* A string reference: index < nstrings.  what (a printf format) names the
 * field; it is formatted only for a refusal. */
static int check_str(loader *ld, uint32_t ix, const char *what, ...) JY_PRINTF(3, 4);
static int check_str(loader *ld, uint32_t ix, const char *what, ...)
{
    if (ix < ld->l.nstrings)
        return 0;
    char w[256];
    va_list ap;
    va_start(ap, what);
    vsnprintf(w, sizeof w, what, ap);
    va_end(ap);
    return refuse(ld, "bundle.string-index",
                  "%s names string %u, but the string table has %u strings: the file is "
                  "damaged; %s",
                  w, ix, ld->l.nstrings, rebuild);
}

/* The prelude (bytes 0..63, checked field by field) of an input of ld->len
 * bytes whose first min(len, 128) bytes are at ld->p. */
static int check_prelude(loader *ld)
{
    const unsigned char *p = ld->p;
    size_t len = ld->len;
    size_t nm = len < 8 ? len : 8;
    if (len == 0)
        return refuse(ld, "bundle.truncated", "the file is empty (0 bytes); %s", rebuild);
    if (memcmp(p, VM_MAGIC, nm) != 0)
        return refuse(ld, "bundle.magic",
                      "not a joryu bundle (it does not start with the bundle magic "
                      "\"JORYUBC\\x1a\"): give a file written by `joryuc build -o FILE.jyb`");
    if (len < H_VERSION + 4)
        return refuse(ld, "bundle.truncated",
                      "the file is %zu bytes, shorter than the %d-byte bundle header: it is "
                      "incomplete; %s",
                      len, HDR_SIZE, rebuild);
    uint32_t ver = rd32(p + H_VERSION);
    if (ver != VM_FORMAT_VERSION)
        return refuse(ld, "bundle.version",
                      "bundle format version %u; this joryu %s reads version %u only: %s",
                      ver, JORYU_VERSION, VM_FORMAT_VERSION,
                      ver > VM_FORMAT_VERSION
                          ? "the bundle was built by a newer joryu; use that joryu-run, or "
                            "rebuild it with this joryuc"
                          : "rebuild it with this joryuc (`joryuc build`)");
    if (len < HDR_SIZE)
        return refuse(ld, "bundle.truncated",
                      "the file is %zu bytes, shorter than the %d-byte bundle header: it is "
                      "incomplete; %s",
                      len, HDR_SIZE, rebuild);
    uint32_t hs = rd32(p + H_HDRSIZE);
    if (hs != HDR_SIZE)
        return refuse(ld, "bundle.header",
                      "the header says it is %u bytes; format %u headers are %d: the file is "
                      "damaged; %s",
                      hs, VM_FORMAT_VERSION, HDR_SIZE, rebuild);
    for (int i = H_RESERVED0; i < H_SHA; i++)
        if (p[i])
            return refuse(ld, "bundle.header",
                          "header byte %d is reserved and must be 0 in format %u; the file is "
                          "damaged; %s",
                          i, VM_FORMAT_VERSION, rebuild);
    uint64_t body = rd64(p + H_BODYSIZE);
    uint64_t want = (uint64_t)HDR_SIZE + body;
    if (body > BUNDLE_MAX_BYTES || want > len)
        return refuse(ld, "bundle.truncated",
                      "the file is %zu bytes, the header says %llu: it is incomplete; %s", len,
                      body > BUNDLE_MAX_BYTES ? (unsigned long long)body
                                              : (unsigned long long)want,
                      rebuild);
    if (want < len)
        return refuse(ld, "bundle.trailing",
                      "the file is %zu bytes, the header says %llu: %llu bytes follow the "
                      "bundle; the file is damaged; %s",
                      len, (unsigned long long)want, (unsigned long long)(len - want), rebuild);
    layout *l = &ld->l;
    l->nstrings = rd32(p + H_NSTRINGS);
    l->strdata = rd32(p + H_STRDATA);
    l->nmigs = rd32(p + H_NMIGS);
    l->nscripts = rd32(p + H_NSCRIPTS);
    l->nsteps = rd32(p + H_NSTEPS);
    l->nrefs = rd32(p + H_NREFS);
    for (int i = 0; i < IR_D__COUNT; i++)
        l->norder[i] = rd32(p + H_NORDER + 4 * i);
    l->ncode = rd32(p + H_NCODE);
    layout_compute(l);
    return 0;
}

/* The hash computed over the input against the header's. */
static int check_hash(loader *ld, const unsigned char sha[32])
{
    const unsigned char *p = ld->p;
    if (memcmp(sha, p + H_SHA, 32) == 0)
        return 0;
    char hex[65], hhex[65];
    static const char dig[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = dig[sha[i] >> 4];
        hex[2 * i + 1] = dig[sha[i] & 15];
        hhex[2 * i] = dig[p[H_SHA + i] >> 4];
        hhex[2 * i + 1] = dig[p[H_SHA + i] & 15];
    }
    hex[64] = hhex[64] = 0;
    return refuse(ld, "bundle.checksum",
                  "the SHA-256 of the header's counts and the body is %.16s..., the header "
                  "says %.16s...: the file is damaged; %s",
                  hex, hhex, rebuild);
}

/* What the hash covers but the prelude does not: reserved bytes, flags,
 * dialect mask, the section counts. */
static int check_counts(loader *ld)
{
    const unsigned char *p = ld->p;
    for (int i = H_RESERVED; i < HDR_SIZE; i++)
        if (p[i])
            return refuse(ld, "bundle.header",
                          "header byte %d is reserved and must be 0 in format %u; %s", i,
                          VM_FORMAT_VERSION, rebuild);
    uint32_t flags = rd32(p + H_FLAGS);
    if (flags)
        return refuse(ld, "bundle.header",
                      "the header has flags 0x%x, which format %u does not define; %s", flags,
                      VM_FORMAT_VERSION, rebuild);
    uint32_t dm = rd32(p + H_DIALECTS);
    if (dm & ~IR_DMASK_ALL)
        return refuse(ld, "bundle.header",
                      "the header's dialect mask 0x%x names unknown dialects; %s", dm, rebuild);
    const layout *l = &ld->l;
    uint64_t want = (uint64_t)HDR_SIZE + rd64(p + H_BODYSIZE);
    if (l->end != want)
        return refuse(ld, "bundle.sections",
                      "the section counts (%u strings, %u string bytes, %u migrations, %u "
                      "scripts, %u steps, %u references, %llu order entries, %u instructions) "
                      "make %llu bytes, the header says %llu: the file is damaged; %s",
                      l->nstrings, l->strdata, l->nmigs, l->nscripts, l->nsteps, l->nrefs,
                      (unsigned long long)l->norder_total, l->ncode, (unsigned long long)l->end,
                      (unsigned long long)want, rebuild);
    for (int i = 0; i < IR_D__COUNT; i++)
        if (!(dm & IR_DMASK(i)) && l->norder[i])
            return refuse(ld, "bundle.order",
                          "the apply order for %s has %u entries, but the bundle has no code "
                          "for %s; %s",
                          ir_dialect_name((ir_dialect)i), l->norder[i],
                          ir_dialect_name((ir_dialect)i), rebuild);
    return 0;
}

static int check_code(loader *ld)
{
    const layout *l = &ld->l;
    for (uint32_t i = 0; i < l->ncode; i++) {
        const unsigned char *r = ld->c + (uint64_t)i * INSN_REC;
        const vm_opcode_info *oi = vm_opcode_get(r[0]);
        if (!oi)
            return refuse(ld, "bundle.opcode",
                          "instruction %u has opcode %u, which this joryu does not know "
                          "(there are %d); the file is damaged or from a newer joryu; %s",
                          i, r[0], (int)VM_OP__COUNT, rebuild);
        unsigned allowed = r[0] == VM_OP_EXEC ? INSN_KNOWN : 0u;
        if (r[1] & ~allowed)
            return refuse(ld, "bundle.operand",
                          "instruction %u (%s) has flags 0x%x, which %s does not take; %s", i,
                          oi->name, r[1], oi->name, rebuild);
        if (r[2] || r[3])
            return refuse(ld, "bundle.operand",
                          "instruction %u (%s) has a reserved field that is not 0; %s", i,
                          oi->name, rebuild);
        const vm_operand_kind kinds[3] = {oi->a, oi->b, oi->c};
        static const char names[3] = {'a', 'b', 'c'};
        for (int o = 0; o < 3; o++) {
            uint32_t v = rd32(r + 4 + 4 * o);
            if (kinds[o] == VM_OPND_NONE && v != 0)
                return refuse(ld, "bundle.operand",
                              "instruction %u (%s) has operand %c = %u, but %s takes none "
                              "there (it must be 0); %s",
                              i, oi->name, names[o], v, oi->name, rebuild);
            if (kinds[o] == VM_OPND_STR && v >= l->nstrings)
                return refuse(ld, "bundle.operand",
                              "instruction %u (%s) operand %c names string %u, but the string "
                              "table has %u; %s",
                              i, oi->name, names[o], v, l->nstrings, rebuild);
            if (kinds[o] == VM_OPND_U32 && r[0] == VM_OP_BACKFILL && o == 2 && v == 0)
                return refuse(ld, "bundle.operand",
                              "instruction %u (BACKFILL) has batch size 0 (it must be at "
                              "least 1); %s",
                              i, rebuild);
        }
    }
    return 0;
}

static int check_steps(loader *ld)
{
    const layout *l = &ld->l;
    for (uint32_t i = 0; i < l->nsteps; i++) {
        const unsigned char *r = sec(ld, l->o_steps) + (uint64_t)i * STEP_REC;
        if (check_str(ld, rd32(r), "step record %u's op kind", i) ||
            check_str(ld, rd32(r + 4), "step record %u's fingerprint", i) ||
            check_str(ld, rd32(r + 8), "step record %u's summary", i))
            return -1;
        uint32_t flags = rd32(r + 16), first = rd32(r + 20), n = rd32(r + 24);
        if (flags & ~(uint32_t)STEP_KNOWN)
            return refuse(ld, "bundle.step",
                          "step record %u has flags 0x%x, which format %u does not define; %s",
                          i, flags, VM_FORMAT_VERSION, rebuild);
        if ((uint64_t)first + n > l->ncode)
            return refuse(ld, "bundle.step",
                          "step record %u's code (instructions %u..%llu) runs past the %u "
                          "instructions of the bundle; %s",
                          i, first, (unsigned long long)first + n, l->ncode, rebuild);
        uint32_t nbackfill = 0;
        for (uint32_t k = 0; k < n; k++) {
            unsigned op = ld->c[((uint64_t)first + k) * INSN_REC];
            if (op == VM_OP_GUARD && k != 0)
                return refuse(ld, "bundle.step",
                              "step record %u has a GUARD at instruction %u of its body; a "
                              "guard may only come first; %s",
                              i, k, rebuild);
            nbackfill += op == VM_OP_BACKFILL;
        }
        if ((nbackfill > 0) != !!(flags & VM_STEP_BACKFILL) || nbackfill > 1)
            return refuse(ld, "bundle.step",
                          "step record %u has %u BACKFILL instructions but is %smarked a "
                          "backfill step; %s",
                          i, nbackfill, (flags & VM_STEP_BACKFILL) ? "" : "not ", rebuild);
    }
    for (uint32_t i = 0; i < l->nscripts; i++) {
        const unsigned char *r = sec(ld, l->o_scripts) + (uint64_t)i * SCRIPT_REC;
        uint32_t flags = rd32(r), reason = rd32(r + 4), first = rd32(r + 8), n = rd32(r + 12);
        if (flags & ~(uint32_t)SC_KNOWN)
            return refuse(ld, "bundle.script",
                          "script %u has flags 0x%x, which format %u does not define; %s", i,
                          flags, VM_FORMAT_VERSION, rebuild);
        if (reason != NONE32 && check_str(ld, reason, "script %u's reason", i))
            return -1;
        if ((uint64_t)first + n > l->nsteps)
            return refuse(ld, "bundle.script",
                          "script %u's steps (%u..%llu) run past the %u step records; %s", i,
                          first, (unsigned long long)first + n, l->nsteps, rebuild);
        if ((flags & SC_IRREVERSIBLE) && n)
            return refuse(ld, "bundle.script",
                          "script %u is marked irreversible but has %u steps; %s", i, n,
                          rebuild);
    }
    return 0;
}

/* The string at index ix (already checked). */
static const char *lstr(const loader *ld, uint32_t ix)
{
    return ld->strs[ix] ? ld->strs[ix] : "";
}

static const unsigned char *mrec(const loader *ld, uint32_t i)
{
    return sec(ld, ld->l.o_migs) + (uint64_t)i * MIG_REC;
}

/* The index of the migration with that id, or -1 (records checked sorted). */
static long find_mig(const loader *ld, const char *id)
{
    uint32_t lo = 0, hi = ld->l.nmigs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(lstr(ld, rd32(mrec(ld, mid) + M_ID)), id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int check_migrations(loader *ld)
{
    const layout *l = &ld->l;
    uint32_t dm = rd32(ld->p + H_DIALECTS);
    static const char *const fields[] = {"id", "file", "checksum", "down_checksum"};
    /* every reference, also those no migration's range covers */
    for (uint32_t i = 0; i < l->nrefs; i++)
        if (check_str(ld, rd32(sec(ld, l->o_refs) + (uint64_t)i * REF_REC), "reference %u", i))
            return -1;
    for (uint32_t i = 0; i < l->nmigs; i++) {
        const unsigned char *r = mrec(ld, i);
        for (int f = 0; f < 4; f++)
            if (check_str(ld, rd32(r + 4 * f), "migration record %u's %s", i, fields[f]))
                return -1;
        const char *id = lstr(ld, rd32(r + M_ID));
        if (!*id)
            return refuse(ld, "bundle.migration", "migration record %u has an empty id; %s",
                          i, rebuild);
        if (i && strcmp(lstr(ld, rd32(mrec(ld, i - 1) + M_ID)), id) >= 0)
            return refuse(ld, "bundle.migration",
                          "migration %s is out of order or repeated in the migration table "
                          "(it must be sorted by id); %s",
                          id, rebuild);
        uint32_t df = rd32(r + M_DEPS_FIRST), dn = rd32(r + M_NDEPS);
        uint32_t ef = rd32(r + M_EFF_FIRST), en = rd32(r + M_NEFF);
        if ((uint64_t)df + dn > l->nrefs || (uint64_t)ef + en > l->nrefs)
            return refuse(ld, "bundle.migration",
                          "migration %s's depends_on or effects run past the %u references; "
                          "%s",
                          id, l->nrefs, rebuild);
        if (r[M_TXMODE] > IR_TX_NONE || r[M_MISMATCH] > IR_MISMATCH_SKIP || r[M_RESERVED] ||
            (r[M_DIALECTS] & ~dm))
            return refuse(ld, "bundle.migration",
                          "migration %s has an invalid transaction mode (%u), on_mismatch "
                          "(%u) or dialect mask (0x%x); %s",
                          id, r[M_TXMODE], r[M_MISMATCH], r[M_DIALECTS], rebuild);
        for (int d = 0; d < IR_D__COUNT; d++) {
            uint32_t up = rd32(r + M_UP + 4 * d), down = rd32(r + M_DOWN + 4 * d);
            if ((up != NONE32 && up >= l->nscripts) || (down != NONE32 && down >= l->nscripts))
                return refuse(ld, "bundle.migration",
                              "migration %s's %s script index is out of range (%u scripts); "
                              "%s",
                              id, ir_dialect_name((ir_dialect)d), l->nscripts, rebuild);
            if ((up == NONE32) != (down == NONE32) || (up != NONE32 && !(dm & IR_DMASK(d))))
                return refuse(ld, "bundle.migration",
                              "migration %s has code for %s that does not fit the bundle "
                              "(upgrade and downgrade come together, for a dialect of the "
                              "bundle); %s",
                              id, ir_dialect_name((ir_dialect)d), rebuild);
        }
    }
    /* depends_on names migrations of the bundle (needs sorted ids) */
    for (uint32_t i = 0; i < l->nmigs; i++) {
        const unsigned char *r = mrec(ld, i);
        uint32_t df = rd32(r + M_DEPS_FIRST), dn = rd32(r + M_NDEPS);
        for (uint32_t k = 0; k < dn; k++) {
            const char *dep = lstr(ld, rd32(sec(ld, l->o_refs) + ((uint64_t)df + k) * REF_REC));
            if (find_mig(ld, dep) < 0)
                return refuse(ld, "bundle.depends",
                              "migration %s depends on %s, which is not in the bundle; %s",
                              lstr(ld, rd32(r + M_ID)), dep, rebuild);
        }
    }
    return 0;
}

/* Each dialect's order is a permutation of the migrations that have code
 * for it, with every dependency (that has code for it) earlier. */
static int check_orders(loader *ld)
{
    const layout *l = &ld->l;
    if (!l->nmigs && !l->norder_total)
        return 0;
    uint32_t *pos = malloc((size_t)(l->nmigs ? l->nmigs : 1) * sizeof *pos);
    if (!pos)
        return refuse(ld, "bundle.out-of-memory", "out of memory while loading the bundle");
    int rc = 0;
    uint64_t at = 0;
    for (int d = 0; d < IR_D__COUNT && !rc; d++) {
        const char *dn = ir_dialect_name((ir_dialect)d);
        for (uint32_t i = 0; i < l->nmigs; i++)
            pos[i] = NONE32;
        uint32_t n = l->norder[d];
        for (uint32_t k = 0; k < n && !rc; k++) {
            uint32_t ix = rd32(sec(ld, l->o_order) + (at + k) * ORDER_REC);
            if (ix >= l->nmigs)
                rc = refuse(ld, "bundle.order",
                            "the %s apply order's entry %u is %u, but there are %u migrations; "
                            "%s",
                            dn, k + 1, ix, l->nmigs, rebuild);
            else if (pos[ix] != NONE32)
                rc = refuse(ld, "bundle.order",
                            "the %s apply order lists migration %s twice; %s", dn,
                            lstr(ld, rd32(mrec(ld, ix) + M_ID)), rebuild);
            else if (rd32(mrec(ld, ix) + M_UP + 4 * d) == NONE32)
                rc = refuse(ld, "bundle.order",
                            "the %s apply order lists migration %s, which has no %s code; %s",
                            dn, lstr(ld, rd32(mrec(ld, ix) + M_ID)), dn, rebuild);
            else
                pos[ix] = k;
        }
        for (uint32_t i = 0; i < l->nmigs && !rc; i++) {
            const unsigned char *r = mrec(ld, i);
            bool has = rd32(r + M_UP + 4 * d) != NONE32;
            if (has && pos[i] == NONE32) {
                rc = refuse(ld, "bundle.order",
                            "migration %s has %s code but is missing from the %s apply order; "
                            "%s",
                            lstr(ld, rd32(r + M_ID)), dn, dn, rebuild);
                break;
            }
            if (!has)
                continue;
            uint32_t df = rd32(r + M_DEPS_FIRST), ndep = rd32(r + M_NDEPS);
            for (uint32_t k = 0; k < ndep && !rc; k++) {
                const char *dep =
                    lstr(ld, rd32(sec(ld, l->o_refs) + ((uint64_t)df + k) * REF_REC));
                long j = find_mig(ld, dep);
                if (j >= 0 && pos[j] != NONE32 && pos[j] > pos[i])
                    rc = refuse(ld, "bundle.order",
                                "the %s apply order runs %s before %s, which it depends on; %s",
                                dn, lstr(ld, rd32(r + M_ID)), dep, rebuild);
            }
        }
        at += n;
    }
    free(pos);
    return rc;
}

/* The n steps from step record `first` with their code, in ld->a (records
 * checked; NULL when out of memory: the arena remembers it). */
static vm_step *build_steps(loader *ld, uint32_t first, uint32_t n)
{
    const layout *l = &ld->l;
    const char **strs = ld->strs;
    vm_step *steps = jy_arena_calloc(ld->a, n, sizeof *steps);
    for (uint32_t k = 0; steps && k < n; k++) {
        const unsigned char *r = sec(ld, l->o_steps) + ((uint64_t)first + k) * STEP_REC;
        uint32_t cf = rd32(r + 20), cn = rd32(r + 24);
        if (ld->insns_kept) { /* the checked records are the instructions */
            steps[k] = (vm_step){.op_kind = strs[rd32(r)], .fingerprint = strs[rd32(r + 4)],
                                 .summary = strs[rd32(r + 8)], .line = rd32(r + 12),
                                 .flags = rd32(r + 16),
                                 .code = cn ? (const vm_insn *)(const void *)(ld->c +
                                                                             (uint64_t)cf * INSN_REC)
                                            : NULL,
                                 .ncode = cn};
            continue;
        }
        vm_insn *code = cn ? jy_arena_calloc(ld->a, cn, sizeof *code) : NULL;
        for (uint32_t i = 0; code && i < cn; i++) {
            const unsigned char *c = ld->c + ((uint64_t)cf + i) * INSN_REC;
            code[i] = (vm_insn){.op = c[0], .flags = c[1], .aux = 0,
                                .a = rd32(c + 4), .b = rd32(c + 8), .c = rd32(c + 12)};
        }
        steps[k] = (vm_step){.op_kind = strs[rd32(r)], .fingerprint = strs[rd32(r + 4)],
                             .summary = strs[rd32(r + 8)], .line = rd32(r + 12),
                             .flags = rd32(r + 16), .code = code, .ncode = code ? cn : 0};
    }
    return steps;
}

/* Build the vm_bundle from checked records (ld->p) and the kept strings
 * (ld->strs, in ld->a, which the bundle takes over).  Scripts of dialects
 * outside ld->want are left out.  0, or -1 (out of memory). */
static int build(loader *ld, vm_bundle **out)
{
    const layout *l = &ld->l;
    jy_arena *a = ld->a;
    vm_bundle *b = jy_arena_alloc(a, sizeof *b);
    const char **strs = ld->strs;
    const char **refs = jy_arena_calloc(a, l->nrefs ? l->nrefs : 1, sizeof *refs);
    vm_migration *migs = jy_arena_calloc(a, l->nmigs ? l->nmigs : 1, sizeof *migs);
    if (!b || !refs || !migs)
        return refuse(ld, "bundle.out-of-memory", "out of memory while loading the bundle");
    b->arena = a;
    b->strings = strs;
    b->nstrings = l->nstrings;
    b->lazy = ld->lazy && ld->lazy->n ? ld->lazy : NULL;
    b->flags = rd32(ld->p + H_FLAGS);
    b->dialects = rd32(ld->p + H_DIALECTS) & ld->want;
    b->joryu_version = strs[rd32(ld->p + H_VERSTR)];
    char hex[65];
    static const char dig[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = dig[ld->p[H_SHA + i] >> 4];
        hex[2 * i + 1] = dig[ld->p[H_SHA + i] & 15];
    }
    hex[64] = 0;
    memcpy(b->body_sha256, hex, sizeof b->body_sha256);
    for (uint32_t i = 0; i < l->nrefs; i++)
        refs[i] = strs[rd32(sec(ld, l->o_refs) + (uint64_t)i * REF_REC)];
    for (uint32_t i = 0; i < l->nmigs; i++) {
        const unsigned char *r = mrec(ld, i);
        vm_migration *m = &migs[i];
        m->id = strs[rd32(r + M_ID)];
        m->file = strs[rd32(r + M_FILE)];
        m->checksum = strs[rd32(r + M_CHECKSUM)];
        m->down_checksum = strs[rd32(r + M_DOWNSUM)];
        m->ndepends = rd32(r + M_NDEPS);
        m->depends_on = m->ndepends ? refs + rd32(r + M_DEPS_FIRST) : NULL;
        m->neffects = rd32(r + M_NEFF);
        m->effects = m->neffects ? refs + rd32(r + M_EFF_FIRST) : NULL;
        m->tx_mode = (ir_tx_mode)r[M_TXMODE];
        m->on_mismatch = (ir_mismatch)r[M_MISMATCH];
        m->dialects = r[M_DIALECTS] & ld->want;
        for (int d = 0; d < IR_D__COUNT; d++)
            for (int w = 0; w < 2; w++) {
                uint32_t si = rd32(r + (w ? M_DOWN : M_UP) + 4 * d);
                vm_script *s = w ? &m->down[d] : &m->up[d];
                if (si == NONE32 || !(ld->want & IR_DMASK(d)))
                    continue;
                const unsigned char *sr = sec(ld, l->o_scripts) + (uint64_t)si * SCRIPT_REC;
                uint32_t fl = rd32(sr), reason = rd32(sr + 4);
                s->present = true;
                s->synthesized = fl & SC_SYNTHESIZED;
                s->irreversible = fl & SC_IRREVERSIBLE;
                s->reason = reason == NONE32 ? NULL : strs[reason];
                s->nsteps = rd32(sr + 12);
                s->steps = s->nsteps ? build_steps(ld, rd32(sr + 8), s->nsteps) : NULL;
            }
    }
    b->migs = migs;
    b->nmigs = l->nmigs;
    uint64_t at = 0;
    for (int d = 0; d < IR_D__COUNT; d++) {
        bool keep = (ld->want & IR_DMASK(d)) && l->norder[d];
        uint32_t *order = keep ? jy_arena_calloc(a, l->norder[d], sizeof *order) : NULL;
        for (uint32_t k = 0; order && k < l->norder[d]; k++)
            order[k] = rd32(sec(ld, l->o_order) + (at + k) * ORDER_REC);
        b->order[d] = order;
        b->norder[d] = order ? l->norder[d] : 0;
        at += l->norder[d];
    }
    if (jy_arena_failed(a))
        return refuse(ld, "bundle.out-of-memory", "out of memory while loading the bundle");
    *out = b;
    ld->a = NULL; /* the bundle owns it now */
    return 0;
}

/* ------------------------------------------------------ reading the input */

#define SRC_CHUNK (256u * 1024u)

/* One pread of up to n bytes at s->pos (again after EINTR): how many it
 * read, or 0 with s->err (a read error) or s->changed (the file got shorter
 * since fstat) set. */
static size_t src_read_at(src *s, void *dst, size_t n)
{
    ssize_t r;
    do
        r = pread(s->fd, dst, n, (off_t)s->pos);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        s->err = errno;
    else if (r == 0)
        s->changed = true;
    return r > 0 ? (size_t)r : 0;
}

/* Make the next bytes available in [cur, end) and hash them.  false at
 * the end of the input (or on a read error: s->err). */
static bool src_fill(src *s)
{
    if (s->pos >= s->len)
        return false;
    size_t want = s->len - s->pos < SRC_CHUNK ? (size_t)(s->len - s->pos) : SRC_CHUNK;
    if (s->fd < 0) {
        s->cur = s->mem + s->pos;
        s->end = s->cur + (s->len - s->pos);
        want = (size_t)(s->len - s->pos);
    } else {
        want = src_read_at(s, s->buf, want);
        if (!want)
            return false;
        s->cur = s->buf;
        s->end = s->buf + want;
    }
    s->pos += want;
    SHA256_Update(&s->md, s->cur, want);
    return true;
}

/* Read the next n bytes of a file straight into dst (n <= what the file
 * has left), hashing them there: what is hashed is what the caller keeps. */
static bool src_pread(src *s, unsigned char *dst, size_t n)
{
    while (n) {
        size_t r = src_read_at(s, dst, n);
        if (!r)
            return false;
        SHA256_Update(&s->md, dst, r);
        s->pos += r;
        dst += r;
        n -= r;
    }
    return true;
}

/* Copy the next n bytes of the input to dst.  false when the input ends
 * first (or a read fails).  Long reads of a file skip the chunk buffer. */
static bool src_read(src *s, void *dst, size_t n)
{
    unsigned char *o = dst;
    while (n) {
        if (s->cur == s->end && s->fd >= 0 && n >= SRC_CHUNK / 4 && n <= s->len - s->pos)
            return src_pread(s, o, n);
        if (s->cur == s->end && !src_fill(s))
            return false;
        size_t k = (size_t)(s->end - s->cur) < n ? (size_t)(s->end - s->cur) : n;
        memcpy(o, s->cur, k);
        o += k;
        s->cur += k;
        n -= k;
    }
    return true;
}

/* Hash the rest of the input. */
static void src_drain(src *s)
{
    while (src_fill(s))
        s->cur = s->end;
}

/* The strings worth keeping for the dialects in ld->want: the header's
 * version, every migration's id, file and checksums, every reference, and
 * every string the kept dialects' scripts name.  The records are not
 * checked yet: whatever is out of range is skipped here (and refused
 * later).  keep[i] is set to 1. */
static void mark_kept(const loader *ld, unsigned char *keep)
{
    const layout *l = &ld->l;
    if ((ld->want & IR_DMASK_ALL) == IR_DMASK_ALL && ld->code == VM_KEEP_ALL_CODE) {
        memset(keep, 1, l->nstrings);
        return;
    }
#define KEEP(ix)                                                                               \
    do {                                                                                       \
        uint32_t k_ = (ix);                                                                    \
        if (k_ < l->nstrings)                                                                  \
            keep[k_] = 1;                                                                      \
    } while (0)
    /* an operand only code names: 2 (it may stay in the file) */
#define KEEPC(ix)                                                                              \
    do {                                                                                       \
        uint32_t k_ = (ix);                                                                    \
        if (k_ < l->nstrings && !keep[k_])                                                     \
            keep[k_] = 2;                                                                      \
    } while (0)
    KEEP(rd32(ld->p + H_VERSTR));
    for (uint32_t i = 0; i < l->nrefs; i++)
        KEEP(rd32(sec(ld, l->o_refs) + (uint64_t)i * REF_REC));
    for (uint32_t i = 0; i < l->nmigs; i++) {
        const unsigned char *r = sec(ld, l->o_migs) + (uint64_t)i * MIG_REC;
        for (int f = 0; f < 4; f++)
            KEEP(rd32(r + 4 * f));
        for (int d = 0; d < IR_D__COUNT; d++) {
            if (!(ld->want & IR_DMASK(d)))
                continue;
            for (int w = 0; w < 2; w++) {
                uint32_t si = rd32(r + (w ? M_DOWN : M_UP) + 4 * d);
                if (si >= l->nscripts)
                    continue;
                const unsigned char *sr = sec(ld, l->o_scripts) + (uint64_t)si * SCRIPT_REC;
                KEEP(rd32(sr + 4));
                uint64_t first = rd32(sr + 8), n = rd32(sr + 12);
                for (uint64_t k = first; k < first + n && k < l->nsteps; k++) {
                    const unsigned char *tr = sec(ld, l->o_steps) + k * STEP_REC;
                    KEEP(rd32(tr));
                    KEEP(rd32(tr + 4));
                    KEEP(rd32(tr + 8));
                    if (!(ld->code & (w ? VM_KEEP_DOWN_CODE : VM_KEEP_UP_CODE)))
                        continue; /* the operands of this code are not wanted */
                    uint64_t cf = rd32(tr + 20), cn = rd32(tr + 24);
                    for (uint64_t c = cf; c < cf + cn && c < l->ncode; c++) {
                        const unsigned char *ir = ld->c + c * INSN_REC;
                        const vm_opcode_info *oi = vm_opcode_get(ir[0]);
                        if (!oi)
                            continue;
                        if (oi->a == VM_OPND_STR)
                            KEEPC(rd32(ir + 4));
                        if (oi->b == VM_OPND_STR)
                            KEEPC(rd32(ir + 8));
                        if (oi->c == VM_OPND_STR)
                            KEEPC(rd32(ir + 12));
                    }
                }
            }
        }
    }
#undef KEEP
#undef KEEPC
}

/* A refusal found while the strings stream by, reported once the hash
 * says the bytes are the writer's. */
typedef struct str_err {
    bool set;
    char msg[256];
} str_err;

static void str_fail(str_err *e, const char *fmt, ...) JY_PRINTF(2, 3);
static void str_fail(str_err *e, const char *fmt, ...)
{
    if (e->set)
        return;
    e->set = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

/*
 * Read the string data: string i is the len_i bytes that follow string
 * i - 1's NUL (offsets are stored, and must be exactly that), then a NUL;
 * no NUL inside, valid UTF-8; the strings fill the string data exactly.
 * Each string is checked where it lies in the chunk buffer (or, when it
 * straddles two chunks, read into its place or a scratch buffer).  Kept
 * strings are copied into ld->a (ld->strs[i]); the others are not copied;
 * long operands of a file (keep 2, ld->lazy_ok) are recorded in ld->lazy
 * with their fingerprint instead of being kept.  Every slot of ld->strs is
 * set (NULL when not kept): it held string entry i until then.
 * Problems go to *e.  false: out of memory.
 */
static bool read_strings(loader *ld, src *s, const unsigned char *keep, str_err *e)
{
    const layout *l = &ld->l;
    unsigned char *scratch = NULL;
    size_t scap = 0;
    uint64_t off = 0;
    uint32_t done = 0; /* strings whose slot is set */
    bool ok = true;
    /* the kept strings go end to end into one block (no alignment between
       them); the lazy ones get a record each */
    uint32_t nl = 0;
    uint64_t total = 0;
    for (uint32_t i = 0; i < l->nstrings; i++) {
        uint32_t n = rd32(ld->ent + (uint64_t)i * STR_REC + 4);
        if (keep[i] == 2 && ld->lazy_ok && n >= LAZY_MIN)
            nl++;
        else if (keep[i])
            total += (uint64_t)n + 1;
    }
    if (ld->lazy_ok) {
        ld->lazy->v = nl ? jy_arena_calloc(ld->a, nl, sizeof *ld->lazy->v) : NULL;
        if (nl && !ld->lazy->v)
            return false;
        ld->lazy->cap = nl;
    }
    /* records that do not add up are refused below; then, one string at a time */
    unsigned char *pack = NULL;
    uint64_t packed = 0;
    if (total && total <= l->strdata) {
        pack = jy_arena_alloc(ld->a, (size_t)total);
        if (!pack)
            return false;
    }
    for (uint32_t i = 0; i < l->nstrings && !e->set; i++) {
        const unsigned char *rec = ld->ent + (uint64_t)i * STR_REC;
        uint32_t at = rd32(rec), n = rd32(rec + 4);
        if (at != off || (uint64_t)at + n >= l->strdata) {
            str_fail(e,
                     "string %u (bytes %u..%llu) is not where the format puts it: it must "
                     "start at byte %llu of the %u bytes of string data, right after the "
                     "string before it; the file is damaged; %s",
                     i, at, (unsigned long long)at + n, (unsigned long long)off, l->strdata,
                     rebuild);
            break;
        }
        bool lazy = keep[i] == 2 && ld->lazy_ok && n >= LAZY_MIN;
        bool kept = keep[i] && !lazy;
        size_t sz = (size_t)n + 1;
        unsigned char *dst = NULL; /* where a kept string goes */
        if (kept && pack && total - packed >= sz) {
            dst = pack + packed;
            packed += sz;
        } else if (kept) {
            dst = jy_arena_alloc(ld->a, sz);
            if (!dst) {
                ok = false;
                break;
            }
        }
        /* the string's bytes: in the window when they are all there (the
           chunk buffer, hashed as read: nothing else writes it), else read
           into their place or the scratch buffer */
        const unsigned char *sp;
        if (s->cur && (size_t)(s->end - s->cur) >= sz) {
            sp = s->cur;
            s->cur += sz;
        } else {
            unsigned char *to = dst;
            if (!to) {
                if (scap < sz) {
                    free(scratch);
                    scap = sz > 4096 ? sz : 4096;
                    scratch = malloc(scap);
                    if (!scratch) {
                        ok = false;
                        break;
                    }
                }
                to = scratch;
            }
            if (!src_read(s, to, sz))
                break; /* the input changed under us: the caller reports it */
            sp = to;
        }
        size_t bad = 0;
        int tc;
        if (sp[n] != 0)
            str_fail(e, "string %u is not NUL-terminated; the file is damaged; %s", i, rebuild);
        else if ((tc = text_check(sp, n, &bad)) == TEXT_NUL)
            str_fail(e, "string %u holds a NUL byte; the file is damaged; %s", i, rebuild);
        else if (tc == TEXT_UTF8)
            str_fail(e, "string %u is not valid UTF-8 (byte %zu); the file is damaged; %s", i,
                     bad, rebuild);
        if (dst && dst != sp)
            memcpy(dst, sp, sz);
        ld->strs[i] = (const char *)dst; /* entry i was read above */
        if (lazy && !e->set) {
            struct vm_lazy *z = ld->lazy;
            if (z->n == z->cap) { /* counted below: cannot happen */
                str_fail(e, "string %u: the string table changed while it was read", i);
                break;
            }
            vm_lazy_str *ls = &z->v[z->n++];
            ls->ix = i;
            ls->len = n;
            ls->off = l->o_strdata + off;
            fingerprint(z->key, sp, sz, ls->fp);
        }
        off += sz;
        done = i + 1;
    }
    /* a refusal or a short read stopped early: the slots not reached still
       hold their entries (the bundle is refused; keep them NULL anyway) */
    for (uint32_t i = done; i < l->nstrings; i++)
        ld->strs[i] = NULL;
    if (ok && !e->set && off != l->strdata)
        str_fail(e,
                 "the strings end at byte %llu of the %u bytes of string data; the file is "
                 "damaged; %s",
                 (unsigned long long)off, l->strdata, rebuild);
    free(scratch);
    return ok;
}

/*
 * The loader: the prelude, then the records read whole (they are small),
 * then the string data streamed string by string, every byte after the
 * prelude hashed on the way; then, once the hash matches, every check of
 * the records, then the bundle.  Only the strings of the dialects in want
 * (and those every dialect shares) are kept.
 */
static int load(src *s, const char *name, ir_dmask want, unsigned code, vm_bundle **out,
                jy_diags *d)
{
    *out = NULL;
    unsigned char hdr[HDR_SIZE] = {0};
    loader ld = {.p = hdr, .len = (size_t)s->len, .name = name, .d = d, .want = want,
                 .code = code & VM_KEEP_ALL_CODE};
    size_t hn = s->len < HDR_SIZE ? (size_t)s->len : HDR_SIZE;
    if (s->fd < 0) {
        memcpy(hdr, s->mem, hn);
    } else {
        size_t got = 0;
        while (got < hn) {
            ssize_t r = pread(s->fd, hdr + got, hn - got, (off_t)got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.read", name,
                              "cannot read %s: %s", name,
                              r < 0 ? strerror(errno) : "it changed while it was read");
                return -1;
            }
            got += (size_t)r;
        }
    }
    if (check_prelude(&ld))
        return -1;
    /* everything from byte 64 on is hashed: the counts, then the body */
    SHA256_Init(&s->md);
    SHA256_Update(&s->md, hdr + H_HASHED, HDR_SIZE - H_HASHED);
    s->pos = HDR_SIZE;
    const layout *l = &ld.l;
    bool counts_ok = l->end == (uint64_t)s->len;
    unsigned char *rec = NULL, *keep = NULL, *ent = NULL;
    str_err serr = {0};
    int rc = -1;
    ld.a = jy_arena_new();
    if (!ld.a)
        goto oom;
    if (counts_ok) {
        /* the records after the string entries: read whole, checked, decoded,
           freed; the entries go into the memory of the string table, each
           read just before its slot is set (read_strings) */
        /* A bundle with no dialect beyond those wanted keeps all its code:
           on a little-endian host its instruction records are vm_insn
           already, so they are read straight into the bundle's arena (the
           steps point into them once checked) instead of into rec and then
           copied. */
        uint32_t dm = rd32(hdr + H_DIALECTS);
        ld.insns_kept = INSNS_AS_RECORDS && l->ncode && !(dm & ~(uint32_t)ld.want);
        uint64_t nrec = (ld.insns_kept ? l->o_code : l->o_strdata) - l->o_migs;
        rec = malloc((size_t)nrec + 1);
        keep = calloc(l->nstrings ? l->nstrings : 1, 1);
        ld.strs = jy_arena_calloc(ld.a, l->nstrings ? l->nstrings : 1, sizeof *ld.strs);
        if (sizeof *ld.strs >= STR_REC)
            ld.ent = (const unsigned char *)ld.strs;
        else
            ld.ent = ent = malloc((size_t)l->nstrings * STR_REC + 1);
        if (ld.insns_kept)
            ld.c = jy_arena_alloc(ld.a, (size_t)l->ncode * INSN_REC);
        else if (rec)
            ld.c = rec + (l->o_code - l->o_migs);
        if (!rec || !keep || !ld.strs || !ld.ent || !ld.c)
            goto oom;
        if (s->fd >= 0 && ld.code != VM_KEEP_ALL_CODE) {
            ld.lazy = jy_arena_calloc(ld.a, 1, sizeof *ld.lazy);
            if (!ld.lazy)
                goto oom;
            ld.lazy->fd = -1;
            ld.lazy->strs = ld.strs;
            fingerprint_key(ld.lazy->key);
            ld.lazy_ok = true;
        }
        ld.r = rec;
        if (src_read(s, (void *)ld.ent, (size_t)l->nstrings * STR_REC) &&
            src_read(s, rec, (size_t)nrec) &&
            (!ld.insns_kept || src_read(s, (void *)ld.c, (size_t)l->ncode * INSN_REC))) {
            mark_kept(&ld, keep);
            if (!read_strings(&ld, s, keep, &serr))
                goto oom;
        }
    }
    src_drain(s);
    if (s->err) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.read", name, "cannot read %s: %s",
                      name, strerror(s->err));
        goto done;
    }
    if (s->changed || s->pos != s->len) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.read", name,
                      "%s changed while it was read; read it again when nothing writes it",
                      name);
        goto done;
    }
    unsigned char sha[32];
    SHA256_Final(sha, &s->md);
    if (check_hash(&ld, sha) || check_counts(&ld))
        goto done;
    if (serr.set) {
        refuse(&ld, "bundle.string", "%s", serr.msg);
        goto done;
    }
    if (check_str(&ld, rd32(ld.p + H_VERSTR), "the header's compiler version") ||
        check_code(&ld) || check_steps(&ld) || check_migrations(&ld) || check_orders(&ld))
        goto done;
    rc = build(&ld, out);
    goto done;
oom:
    refuse(&ld, "bundle.out-of-memory", "out of memory while loading the bundle");
done:
    free(rec);
    free(ent);
    free(keep);
    jy_arena_free(ld.a); /* NULL once the bundle took it */
    return rc;
}

int vm_bundle_load_memory(const unsigned char *data, size_t len, vm_bundle **out, jy_diags *d)
{
    src s = {.fd = -1, .mem = data, .len = len};
    return load(&s, "bundle", IR_DMASK_ALL, VM_KEEP_ALL_CODE, out, d);
}

int vm_bundle_load_dialects(const char *path, ir_dmask dialects, vm_bundle **out, jy_diags *d)
{
    return vm_bundle_load_code(path, dialects, VM_KEEP_ALL_CODE, out, d);
}

int vm_bundle_load_code(const char *path, ir_dmask dialects, unsigned code, vm_bundle **out,
                        jy_diags *d)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.open", path,
                                   "cannot open bundle %s: %s", path, strerror(e));
        if (g && e == ENOENT)
            jy_diag_hint(g, "build one with `joryuc build -o %s`", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.not-regular", path,
                      "%s is not a regular file; name a bundle (.jyb)", path);
        return -1;
    }
    if ((uint64_t)st.st_size > BUNDLE_MAX_BYTES + HDR_SIZE) {
        close(fd);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.too-large", path,
                      "%s is %lld bytes, over the bundle limit of %llu bytes", path,
                      (long long)st.st_size, (unsigned long long)BUNDLE_MAX_BYTES);
        return -1;
    }
    src s = {.fd = fd, .len = (uint64_t)st.st_size};
    s.buf = malloc(SRC_CHUNK);
    if (!s.buf) {
        close(fd);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", path,
                      "out of memory reading %s", path);
        return -1;
    }
    int rc = load(&s, path, dialects & IR_DMASK_ALL, code, out, d);
    free(s.buf);
    if (rc == 0 && (*out)->lazy)
        (*out)->lazy->fd = fd; /* vm_bundle_free closes it */
    else
        close(fd);
    return rc;
}

int vm_bundle_load(const char *path, vm_bundle **out, jy_diags *d)
{
    return vm_bundle_load_dialects(path, IR_DMASK_ALL, out, d);
}

void vm_bundle_free(vm_bundle *b)
{
    if (!b)
        return;
    if (b->lazy && b->lazy->fd >= 0)
        close(b->lazy->fd);
    jy_arena_free(b->arena);
}

const char *vm_bundle_str(const vm_bundle *b, uint32_t x)
{
    if (!b || !b->strings || x >= b->nstrings)
        return NULL;
    if (b->strings[x] || !b->lazy || b->lazy->fd < 0)
        return b->strings[x];
    struct vm_lazy *z = b->lazy;
    uint32_t lo = 0, hi = z->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->v[mid].ix < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= z->n || z->v[lo].ix != x)
        return NULL; /* not kept */
    const vm_lazy_str *ls = &z->v[lo];
    char *p = jy_arena_alloc(b->arena, (size_t)ls->len + 1);
    if (!p)
        return NULL;
    size_t got = 0, want = (size_t)ls->len + 1;
    while (got < want) {
        ssize_t r = pread(z->fd, p + got, want - got, (off_t)(ls->off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        got += (size_t)r;
    }
    unsigned char fp[16];
    fingerprint(z->key, (const unsigned char *)p, want, fp);
    /* the bytes checked at load, or nothing: the file changed in place */
    if (memcmp(fp, ls->fp, sizeof fp) != 0 || p[ls->len] != 0)
        return NULL;
    z->strs[x] = p;
    return p;
}

/* The migration with that id (binary search: migs are sorted by id). */
const vm_migration *vm_bundle_find(const vm_bundle *b, const char *id)
{
    uint32_t lo = 0, hi = b->nmigs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->migs[mid].id, id);
        if (c == 0)
            return &b->migs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
