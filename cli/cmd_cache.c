/*
 * cmd_cache.c - joryu's compile cache (compile_cache.h; docs/SPEC.md "The
 * compile cache").
 *
 * Two files per dialect in .joryu/cache: <dialect>.jyb, the bundle in the
 * .jyb format, and <dialect>.key, a binary manifest of what it was compiled
 * from (integers little-endian; "str" is a u32 length and the bytes):
 *
 *   "JORYUCK" 0x02                       magic, key format 2
 *   u32 n, then n bytes: the identity     compared byte for byte:
 *       str joryu version, u32 bundle format,
 *       the running joryu binary: u64 dev, u64 ino, i64 size, i64 mtime_ns, i64 ctime_ns
 *       u8 dialect, u8 joryu.toml present, [u32 n, its n bytes]
 *       str migrations_dir
 *   i64 built                             when the compile started (ns)
 *   the folder:  u64 dev, u64 ino, i64 mtime_ns, i64 ctime_ns, u8 racy
 *   u32 n, then per file (sorted as fe_list_dir sorts):
 *       i64 size, i64 mtime_ns, i64 ctime_ns, u64 ino, u8 hashed,
 *       [64 hex SHA-256 of the content when hashed], u16 len, name, NUL
 *   64 hex: the SHA-256 of the bundle's body, as in its header
 *   u64 check: a word hash of every byte before it (a damaged key is a miss)
 *
 * Everything before the bundle's SHA-256 is "the manifest".  The cache is
 * used only when the manifest computed now would equal the stored one, and
 * the bundle passes every check of the loader (vm_bundle_load_code: magic,
 * SHA-256 of the body, every record) and is the one the key names.
 *
 * A lookup costs one read of the key, a stat of joryu, a read of
 * joryu.toml, one fstat of the folder and one fstatat per file through the
 * open folder.  The folder is listed again (fe_list_dir, the very function
 * fe_compile uses, so the names are exactly what the compile reads) only
 * when its own stat changed: creating, removing or renaming an entry
 * updates a folder's mtime and ctime (POSIX), so an unchanged folder holds
 * the same names.  When it changed (e.g. a database file beside the
 * migrations), the names are compared one by one and a match is still a hit.
 *
 * Racy timestamps ("racy git" in git's index): a file (or the folder) whose
 * mtime or ctime lies less than RACY_NS before `built` may have been changed
 * again within the filesystem's timestamp granularity without its stat
 * changing.  Such a file is stored with the SHA-256 of its content and
 * hashed again on every lookup; such a folder is listed on every lookup.  A
 * hit that had to do so, at a time T when those stats are RACY_NS old,
 * writes the key again with built = T (the content was checked after T and
 * any later change moves the stat), so the cost is paid a few times, not
 * forever.  A hit writes nothing otherwise.
 *
 * The bundle is written first, then the key, each to a temporary file
 * renamed into place: two runs writing at once leave a key and a bundle
 * that match, or that are refused.
 */
/* OpenSSL's direct SHA-256 (SHA256(), deprecated in 3.0), as in
 * vm/bundle.c: EVP would first load OpenSSL's providers and configuration
 * file, about 1 ms per process, more than the rest of a 100-file lookup. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "compile_cache.h"

#include "frontend.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_MAGIC "JORYUCK\x02"
#define KEY_MAGIC_LEN 8
#define KEY_MAX_BYTES (256u * 1024u * 1024u)
#define HEX_LEN 64
/* From this many files on, the bundle is loaded on a second thread while
 * the files are compared (one fstatat, about 1.2 us a file on the 2-core VM
 * of the benchmarks): below, the stats take less than half a millisecond,
 * and a thread that waits for a busy CPU could cost more than it saves. */
#define LOAD_THREAD_MIN 512
/* Timestamps this close before the compile started are not trusted alone. */
#define RACY_NS 2000000000LL
/* a file record without its hash and name */
#define ENT_FIXED (8 + 8 + 8 + 8 + 1 + 2)

cc_cache_mode cc_cache_mode_get(void)
{
    const char *v = getenv("JORYU_CACHE");
    if (!v || !*v)
        return CC_CACHE_ON;
    if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
        return CC_CACHE_OFF;
    if (!strcmp(v, "verbose"))
        return CC_CACHE_VERBOSE;
    return CC_CACHE_ON;
}

void cc_cache_init(cc_cache *k, cc_cache_mode mode, const char *dir, ir_dialect dl,
                   unsigned code)
{
    memset(k, 0, sizeof *k);
    k->mode = mode;
    k->dir = dir;
    k->dl = dl;
    k->code = code;
    snprintf(k->path, sizeof k->path, "%s/%s.jyb", CC_CACHE_DIR, ir_dialect_name(dl));
    snprintf(k->keypath, sizeof k->keypath, "%s/%s.key", CC_CACHE_DIR, ir_dialect_name(dl));
}

void cc_cache_free(cc_cache *k)
{
    free(k->manifest);
    k->manifest = NULL;
    k->manifest_len = 0;
}

static int64_t ns_of(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000LL + (int64_t)t.tv_nsec;
}

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return ns_of(now);
}

/* --------------------------------------------------------- reading files */

/* Read the whole of an open file (at most max bytes) and close it.
 * malloc'd (one byte more, NUL), or NULL. */
static unsigned char *read_fd(int fd, uint64_t max, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    unsigned char *p = malloc(n + 1);
    size_t got = 0;
    while (p && got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(p);
            p = NULL;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (p) {
        p[n] = 0;
        *len = n;
    }
    return p;
}

/* name relative to the folder dfd (AT_FDCWD: the current one) */
static unsigned char *read_at(int dfd, const char *name, uint64_t max, size_t *len)
{
    int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
    return fd < 0 ? NULL : read_fd(fd, max, len);
}

static bool hash_at(int dfd, const char *name, char hex[65])
{
    size_t n = 0;
    unsigned char *p = read_at(dfd, name, 64u * 1024u * 1024u, &n);
    if (!p)
        return false;
    unsigned char md[32];
    SHA256(p, n, md);
    free(p);
    static const char dig[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = dig[md[i] >> 4];
        hex[2 * i + 1] = dig[md[i] & 15];
    }
    hex[64] = 0;
    return true;
}

/* ------------------------------------------------------ the binary format */

static void put_le(jy_buf *b, uint64_t v, int nbytes)
{
    unsigned char t[8];
    for (int i = 0; i < nbytes; i++)
        t[i] = (unsigned char)(v >> (8 * i));
    jy_buf_append(b, t, (size_t)nbytes);
}

static void put_str(jy_buf *b, const char *s)
{
    size_t n = strlen(s);
    put_le(b, n, 4);
    jy_buf_append(b, s, n);
}

typedef struct rd {
    const unsigned char *p, *end;
    bool bad;
} rd;

static uint64_t get_le(rd *r, int nbytes)
{
    if (r->bad || r->end - r->p < nbytes) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    if (nbytes == 8) { /* most fields: one load */
        memcpy(&v, r->p, 8);
        v = le64toh(v);
    } else {
        for (int i = 0; i < nbytes; i++)
            v |= (uint64_t)r->p[i] << (8 * i);
    }
    r->p += nbytes;
    return v;
}

static const unsigned char *get_bytes(rd *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const unsigned char *s = r->p;
    r->p += n;
    return s;
}

/* The key's own check: a multiplicative hash over 8-byte words (a few
 * microseconds for a 5,000-file key; not cryptographic, it finds damage). */
static uint64_t key_check(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h ^ (h >> 32);
}

/* One file's record (struct stat as fstatat gives it). */
static void put_ent(jy_buf *m, const struct stat *st, const char *hex, const char *name,
                    size_t namelen)
{
    put_le(m, (uint64_t)(int64_t)st->st_size, 8);
    put_le(m, (uint64_t)ns_of(st->st_mtim), 8);
    put_le(m, (uint64_t)ns_of(st->st_ctim), 8);
    put_le(m, (uint64_t)st->st_ino, 8);
    put_le(m, hex ? 1 : 0, 1);
    if (hex)
        jy_buf_append(m, hex, HEX_LEN);
    put_le(m, namelen, 2);
    jy_buf_append(m, name, namelen);
    jy_buf_append(m, "", 1);
}

static bool is_racy(const struct stat *st, int64_t built)
{
    return ns_of(st->st_mtim) > built - RACY_NS || ns_of(st->st_ctim) > built - RACY_NS;
}

static void put_dir(jy_buf *m, const struct stat *st, int64_t built)
{
    put_le(m, (uint64_t)st->st_dev, 8);
    put_le(m, (uint64_t)st->st_ino, 8);
    put_le(m, (uint64_t)ns_of(st->st_mtim), 8);
    put_le(m, (uint64_t)ns_of(st->st_ctim), 8);
    put_le(m, is_racy(st, built) ? 1 : 0, 1);
}

/* The identity: what the compile depends on besides the files.  false when
 * it cannot be known (joryu's own binary cannot be stat'ed, joryu.toml
 * cannot be read): then nothing is cached or used. */
static bool identity(const cc_cache *k, jy_buf *m)
{
    put_str(m, JORYU_VERSION);
    put_le(m, vm_format_version(), 4);
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0)
        return false;
    put_le(m, (uint64_t)st.st_dev, 8);
    put_le(m, (uint64_t)st.st_ino, 8);
    put_le(m, (uint64_t)(int64_t)st.st_size, 8);
    put_le(m, (uint64_t)ns_of(st.st_mtim), 8);
    put_le(m, (uint64_t)ns_of(st.st_ctim), 8);
    put_le(m, (uint64_t)k->dl, 1);
    errno = 0;
    size_t n = 0;
    unsigned char *toml = read_at(AT_FDCWD, CLI_CONFIG_FILE, 1u << 20, &n);
    if (toml) { /* its bytes (a few hundred): compared, not hashed */
        put_le(m, 1, 1);
        put_le(m, n, 4);
        jy_buf_append(m, toml, n);
        free(toml);
    } else if (errno == ENOENT) {
        put_le(m, 0, 1);
    } else {
        return false;
    }
    put_str(m, k->dir);
    return !m->failed;
}

/* The folder's files, listed and sorted by fe_list_dir (the one listing
 * the compile reads); its diagnostics are dropped: a folder that cannot be
 * listed is a miss.  0, or -1.  Free with fe_free_paths. */
static int list_dir(const char *dir, char ***paths, size_t *n)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_list_dir(dir, paths, n, &d);
    jy_diags_free(&d);
    return rc;
}

/* A listed path's file name: what follows its last '/'. */
static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The manifest of the files as they are now, for a compile started at
 * built.  false when something cannot be listed, read or written down
 * (then nothing is cached). */
static bool manifest(const cc_cache *k, int64_t built, jy_buf *m)
{
    jy_buf_append(m, KEY_MAGIC, KEY_MAGIC_LEN);
    size_t at = m->len;
    put_le(m, 0, 4); /* the identity's length, below */
    if (!identity(k, m) || m->failed)
        return false;
    size_t idlen = m->len - at - 4;
    for (int i = 0; i < 4; i++)
        m->data[at + (size_t)i] = (char)(unsigned char)(idlen >> (8 * i));
    put_le(m, (uint64_t)built, 8);
    /* the folder's stat before its listing: a change during the listing
     * moves it, and the next lookup lists again */
    int dfd = open(k->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (dfd < 0)
        return false;
    if (fstat(dfd, &st) != 0) {
        close(dfd);
        return false;
    }
    put_dir(m, &st, built);
    char **paths = NULL;
    size_t n = 0;
    bool ok = list_dir(k->dir, &paths, &n) == 0 && n <= UINT32_MAX;
    if (ok)
        put_le(m, n, 4);
    for (size_t i = 0; i < n && ok; i++) {
        const char *name = file_name(paths[i]);
        size_t namelen = strlen(name);
        /* each file by its name in the open folder: one lookup, not a path walk */
        if (namelen > UINT16_MAX || fstatat(dfd, name, &st, 0) != 0) {
            ok = false;
            break;
        }
        char hex[65];
        bool racy = is_racy(&st, built);
        if (racy && !hash_at(dfd, name, hex)) {
            ok = false;
            break;
        }
        put_ent(m, &st, racy ? hex : NULL, name, namelen);
    }
    close(dfd);
    fe_free_paths(paths, n);
    return ok && !m->failed;
}

/* ------------------------------------------------------------ writing */

static bool write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* .joryu/ and .joryu/cache/, with a .gitignore that ignores the whole
 * folder (as .pytest_cache does): nothing in it belongs in a commit. */
static bool make_dirs(void)
{
    if (mkdir(".joryu", 0777) != 0 && errno != EEXIST)
        return false;
    struct stat st;
    if (stat(".joryu/.gitignore", &st) != 0) {
        int fd = open(".joryu/.gitignore", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            static const char gi[] = "# joryu's compile cache: safe to delete, never commit it\n*\n";
            (void)write_all(fd, gi, sizeof gi - 1);
            close(fd);
        }
    }
    return mkdir(CC_CACHE_DIR, 0777) == 0 || errno == EEXIST;
}

/* Write data to path through a temporary file in the same folder, renamed
 * into place (mode 0600 from mkstemp: the cache holds the project's SQL).
 * No fsync: the cache is an optimisation, and a file lost or damaged in a
 * crash is a miss. */
static bool write_file(const char *path, const void *data, size_t len)
{
    char tmp[300];
    const char *slash = strrchr(path, '/');
    snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX", slash ? (int)(slash - path) : 1,
             slash ? path : ".", slash ? slash + 1 : path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return false;
    bool ok = write_all(fd, data, len);
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    return ok;
}

/* The key's last 8 bytes: key_check of the bytes before them. */
static void put_check(jy_buf *m)
{
    put_le(m, key_check((const unsigned char *)m->data, m->len), 8);
}

/* ------------------------------------------------------------ the lookup */

/* A file's record, pointing into the key. */
typedef struct ent {
    int64_t size, mtime, ctime;
    uint64_t ino;
    const char *hex;  /* NULL: not hashed */
    const char *name; /* NUL-terminated, inside the key */
    size_t namelen;
} ent;

/* The parsed key; pointers into its bytes. */
typedef struct key {
    const unsigned char *id;
    size_t idlen;
    int64_t built;
    uint64_t ddev, dino;
    int64_t dmtime, dctime;
    bool dracy;
    ent *e; /* malloc'd */
    size_t n;
    const char *bundle_hex;
} key;

/* Parse and check the structure of a key (bounds, counts, the check word).
 * true and *K (free K->e); false: damaged. */
static bool parse_key(const unsigned char *p, size_t len, key *K)
{
    memset(K, 0, sizeof *K);
    if (len < KEY_MAGIC_LEN + 8 || memcmp(p, KEY_MAGIC, KEY_MAGIC_LEN) != 0)
        return false;
    rd tail = {p + len - 8, p + len, false};
    if (key_check(p, len - 8) != get_le(&tail, 8))
        return false;
    rd r = {p + KEY_MAGIC_LEN, p + len - 8, false};
    K->idlen = (size_t)get_le(&r, 4);
    K->id = get_bytes(&r, K->idlen);
    K->built = (int64_t)get_le(&r, 8);
    K->ddev = get_le(&r, 8);
    K->dino = get_le(&r, 8);
    K->dmtime = (int64_t)get_le(&r, 8);
    K->dctime = (int64_t)get_le(&r, 8);
    uint64_t dracy = get_le(&r, 1);
    K->dracy = dracy != 0;
    uint64_t n = get_le(&r, 4);
    /* every record takes at least ENT_FIXED + 2 bytes: cap the count first */
    if (r.bad || dracy > 1 || n > (uint64_t)(r.end - r.p) / (ENT_FIXED + 2))
        return false;
    K->e = malloc((n ? n : 1) * sizeof *K->e);
    if (!K->e)
        return false;
    K->n = (size_t)n;
    for (size_t i = 0; i < K->n && !r.bad; i++) {
        ent *e = &K->e[i];
        e->size = (int64_t)get_le(&r, 8);
        e->mtime = (int64_t)get_le(&r, 8);
        e->ctime = (int64_t)get_le(&r, 8);
        e->ino = get_le(&r, 8);
        uint64_t hashed = get_le(&r, 1);
        e->hex = hashed ? (const char *)get_bytes(&r, HEX_LEN) : NULL;
        e->namelen = (size_t)get_le(&r, 2);
        const unsigned char *name = get_bytes(&r, e->namelen + 1);
        e->name = (const char *)name;
        /* a name, not a path: no '/', no NUL inside, NUL after */
        if (r.bad || hashed > 1 || e->namelen == 0 || name[e->namelen] != 0 ||
            memchr(name, 0, e->namelen) || memchr(name, '/', e->namelen))
            r.bad = true;
    }
    K->bundle_hex = (const char *)get_bytes(&r, HEX_LEN);
    if (r.bad || r.p != r.end) {
        free(K->e);
        K->e = NULL;
        return false;
    }
    return true;
}

static void miss(cc_cache *k, const char *why)
{
    snprintf(k->why, sizeof k->why, "%s", why);
}

/* Do the names listed now equal the key's (same order)? */
static bool same_names(const cc_cache *k, const key *K)
{
    char **paths = NULL;
    size_t n = 0;
    bool same = list_dir(k->dir, &paths, &n) == 0 && n == K->n;
    for (size_t i = 0; i < n && same; i++) {
        const char *name = file_name(paths[i]);
        same = strlen(name) == K->e[i].namelen &&
               memcmp(name, K->e[i].name, K->e[i].namelen) == 0;
    }
    fe_free_paths(paths, n);
    return same;
}

/* After a hit that began at t0 and had to hash files or list a racy
 * folder: the key again with built = t0, a hash kept only where the file is
 * still racy (keep[i]), the folder's stat dst (taken after t0). */
static bool refresh(cc_cache *k, const key *K, const bool *keep, const struct stat *dst,
                    int64_t t0)
{
    jy_buf m;
    jy_buf_init(&m);
    jy_buf_append(&m, KEY_MAGIC, KEY_MAGIC_LEN);
    put_le(&m, K->idlen, 4);
    jy_buf_append(&m, K->id, K->idlen);
    put_le(&m, (uint64_t)t0, 8);
    put_dir(&m, dst, t0);
    put_le(&m, K->n, 4);
    for (size_t i = 0; i < K->n; i++) {
        const ent *e = &K->e[i];
        put_le(&m, (uint64_t)e->size, 8);
        put_le(&m, (uint64_t)e->mtime, 8);
        put_le(&m, (uint64_t)e->ctime, 8);
        put_le(&m, e->ino, 8);
        put_le(&m, keep[i] ? 1 : 0, 1);
        if (keep[i])
            jy_buf_append(&m, e->hex, HEX_LEN);
        put_le(&m, e->namelen, 2);
        jy_buf_append(&m, e->name, e->namelen + 1);
    }
    jy_buf_append(&m, K->bundle_hex, HEX_LEN);
    put_check(&m);
    bool ok = !m.failed && write_file(k->keypath, m.data, m.len);
    jy_buf_free(&m);
    return ok;
}

/*
 * Compare the files with the key: the folder (listed when its stat moved
 * or was racy), then one fstatat per file, the racy ones hashed.  *stale:
 * some hashed file, or the racy folder, is now old enough to be trusted by
 * its stat (keep[i]: the file stays hashed).  NULL on a match, else why not.
 */
static const char *check_files(cc_cache *k, const key *K, int64_t t0, bool *keep,
                               struct stat *dst, bool *stale)
{
    *stale = false;
    int dfd = open(k->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return "the migrations folder cannot be read";
    const char *why = NULL;
    if (fstat(dfd, dst) != 0) {
        why = "the migrations folder cannot be read";
        goto out;
    }
    bool same_dir = (uint64_t)dst->st_dev == K->ddev && (uint64_t)dst->st_ino == K->dino &&
                    ns_of(dst->st_mtim) == K->dmtime && ns_of(dst->st_ctim) == K->dctime;
    if (!same_dir || K->dracy) {
        k->listed = true;
        if (!same_names(k, K)) {
            why = "a migration file was added, removed or renamed";
            goto out;
        }
        *stale = same_dir && !is_racy(dst, t0);
    }
    for (size_t i = 0; i < K->n; i++) {
        const ent *e = &K->e[i];
        struct stat st;
        k->nfiles++;
        if (fstatat(dfd, e->name, &st, 0) != 0) {
            why = "a migration file was added, removed or renamed";
            goto out;
        }
        if ((int64_t)st.st_size != e->size || ns_of(st.st_mtim) != e->mtime ||
            ns_of(st.st_ctim) != e->ctime || (uint64_t)st.st_ino != e->ino) {
            why = "a migration file changed";
            goto out;
        }
        keep[i] = false;
        if (e->hex) {
            char hex[65];
            k->nhashed++;
            if (!hash_at(dfd, e->name, hex) || memcmp(hex, e->hex, HEX_LEN) != 0) {
                why = "a migration file changed";
                goto out;
            }
            keep[i] = is_racy(&st, t0);
            *stale |= !keep[i];
        }
    }
out:
    close(dfd);
    return why;
}

/* The bundle load a lookup starts (on a thread of its own when it can). */
typedef struct loader {
    char path[256];
    ir_dmask dialects;
    unsigned code;
    vm_bundle *b; /* the result, or NULL */
} loader;

static void *load_bundle(void *arg)
{
    loader *L = arg;
    jy_diags d;
    jy_diags_init(&d);
    if (vm_bundle_load_code(L->path, L->dialects, L->code, &L->b, &d) != 0)
        L->b = NULL;
    jy_diags_free(&d);
    return NULL;
}

/*
 * The lookup: one read of the key, its identity computed again, then the
 * files compared while the bundle is loaded and checked (SHA-256 of its
 * body, every record) on a second thread: on a hit, the two are needed
 * anyway and neither waits for the other; on a miss the load is wasted,
 * next to a compile.
 */
int cc_cache_lookup(cc_cache *k, vm_bundle **out)
{
    *out = NULL;
    k->nfiles = k->nhashed = 0;
    k->listed = k->refreshed = false;
    int64_t t0 = now_ns();
    size_t len = 0;
    errno = 0;
    unsigned char *p = read_at(AT_FDCWD, k->keypath, KEY_MAX_BYTES, &len);
    if (!p) {
        miss(k, errno == ENOENT ? "no cache yet" : "the cache cannot be read");
        return -1;
    }
    int rc = -1;
    key K;
    jy_buf id;
    jy_buf_init(&id);
    bool *keep = NULL;
    if (!parse_key(p, len, &K)) {
        miss(k, len > 20 && memcmp(p, "joryu-compile-cache ", 20) == 0
                    ? "the cache was written by an older joryu"
                    : "the cache is damaged");
        goto done;
    }
    if (!identity(k, &id)) {
        miss(k, "joryu or joryu.toml cannot be read");
        goto done;
    }
    if (id.len != K.idlen || memcmp(id.data, K.id, id.len) != 0) {
        miss(k, "joryu, joryu.toml or migrations_dir changed");
        goto done;
    }
    keep = malloc(K.n ? K.n : 1);
    if (!keep) {
        miss(k, "out of memory");
        goto done;
    }
    loader L;
    memset(&L, 0, sizeof L);
    memcpy(L.path, k->path, sizeof L.path);
    L.dialects = IR_DMASK(k->dl);
    L.code = k->code;
    pthread_t th;
    bool threaded = K.n >= LOAD_THREAD_MIN && pthread_create(&th, NULL, load_bundle, &L) == 0;
    struct stat dst;
    bool stale = false;
    const char *why = check_files(k, &K, t0, keep, &dst, &stale);
    if (threaded)
        pthread_join(th, NULL);
    else if (!why)
        load_bundle(&L);
    if (why) {
        miss(k, why);
        vm_bundle_free(L.b);
    } else if (!L.b) {
        miss(k, "the cached bundle is damaged");
    } else if (memcmp(L.b->body_sha256, K.bundle_hex, HEX_LEN) != 0) {
        vm_bundle_free(L.b);
        miss(k, "the cached bundle is not the one its key names");
    } else {
        *out = L.b;
        rc = 0;
        if (stale)
            k->refreshed = refresh(k, &K, keep, &dst, t0);
    }
done:
    free(keep);
    free(K.e);
    jy_buf_free(&id);
    free(p);
    return rc;
}

/* ----------------------------------------------------------- the store */

void cc_cache_begin(cc_cache *k)
{
    cc_cache_free(k);
    if (k->mode == CC_CACHE_OFF)
        return;
    k->built_ns = now_ns();
    jy_buf m;
    jy_buf_init(&m);
    if (manifest(k, k->built_ns, &m)) {
        k->manifest_len = m.len;
        k->manifest = jy_buf_take(&m);
    }
    jy_buf_free(&m);
}

bool cc_cache_store(cc_cache *k, const vm_bundle *b)
{
    if (k->mode == CC_CACHE_OFF || !k->manifest)
        return false;
    jy_buf m;
    jy_buf_init(&m);
    /* a file that changed while it was compiled: the bundle may hold either
     * version, so it is not stored */
    bool same = manifest(k, k->built_ns, &m) && m.len == k->manifest_len &&
                memcmp(m.data, k->manifest, m.len) == 0;
    if (!same) {
        jy_buf_free(&m);
        return false;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    jy_diags d;
    jy_diags_init(&d);
    int src = vm_bundle_serialize(b, &data, &len, &d);
    jy_diags_free(&d);
    bool ok = src == 0 && len >= 64 && make_dirs();
    if (ok) {
        /* the key names the bundle by the SHA-256 in its header (bytes 32..63) */
        static const char dig[] = "0123456789abcdef";
        for (int i = 0; i < 32; i++) {
            jy_buf_putc(&m, dig[data[32 + i] >> 4]);
            jy_buf_putc(&m, dig[data[32 + i] & 15]);
        }
        put_check(&m);
        ok = !m.failed && write_file(k->path, data, len) && write_file(k->keypath, m.data, m.len);
    }
    free(data);
    jy_buf_free(&m);
    return ok;
}
