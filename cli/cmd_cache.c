/*
 * cmd_cache.c - joryu's compile cache (compile_cache.h; docs/SPEC.md "The
 * compile cache").
 *
 * Two files per dialect in .joryu/cache: <dialect>.jyb, the bundle in the
 * .jyb format, and <dialect>.key, a text manifest of what it was compiled
 * from:
 *
 *   joryu-compile-cache 1
 *   joryu 0.1.0 bundle-format 1
 *   exe <dev> <inode> <size> <mtime_ns>          the running joryu binary
 *   dialect sqlite
 *   config <sha256 of joryu.toml | absent>
 *   dir migrations
 *   built <ns>                                  when the compile started
 *   f <size> <mtime_ns> <ctime_ns> <inode> <sha256 | -> <path>   per file
 *   end
 *   bundle <SHA-256 of the bundle's body, as in its header>
 *
 * The cache is used only when the manifest computed now is byte for byte
 * the stored one (everything up to "end"), and the bundle passes every
 * check of the loader (vm_bundle_load_code: magic, SHA-256 of the body,
 * every record) and is the one the key names.  The bundle is written first,
 * then the key, each to a temporary file renamed into place: two runs
 * writing at once leave a key and a bundle that match, or that are refused.
 * A file whose mtime or ctime lies less than RACY_NS before `built` may have
 * been changed again within the filesystem's timestamp granularity without
 * its stat changing; its content hash is part of its line, and it is hashed
 * again on every lookup ("racy git" in git's index).  Files are listed by
 * fe_list_dir, the very function fe_compile uses, so the manifest names
 * exactly what the compile reads.
 */
#include "compile_cache.h"

#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_MAGIC "joryu-compile-cache 1\n"
#define CACHE_END "\nend\n"
#define KEY_MAX_BYTES (256u * 1024u * 1024u)
/* Timestamps this close before the compile started are not trusted alone. */
#define RACY_NS 2000000000LL

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
}

static int64_t ns_of(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000LL + (int64_t)t.tv_nsec;
}

/* Read a whole file (at most max bytes).  malloc'd with a NUL after the
 * len bytes (the key file is parsed with strtoll), or NULL. */
static unsigned char *read_all(const char *path, uint64_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
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

static bool hash_file(const char *path, char hex[65])
{
    size_t n = 0;
    unsigned char *p = read_all(path, 64u * 1024u * 1024u, &n);
    if (!p)
        return false;
    jy_sha256_hex(p, n, hex);
    free(p);
    return true;
}

/* The manifest of the files as they are now, for a compile started at
 * built.  false when something cannot be listed, read or written down
 * unambiguously (then nothing is cached). */
static bool manifest(const cc_cache *k, int64_t built, jy_buf *m)
{
    jy_buf_puts(m, CACHE_MAGIC);
    jy_buf_printf(m, "joryu %s bundle-format %u\n", JORYU_VERSION, vm_format_version());
    struct stat st;
    if (stat("/proc/self/exe", &st) == 0)
        jy_buf_printf(m, "exe %ju %ju %jd %" PRId64 "\n", (uintmax_t)st.st_dev,
                      (uintmax_t)st.st_ino, (intmax_t)st.st_size, ns_of(st.st_mtim));
    else
        jy_buf_puts(m, "exe -\n");
    jy_buf_printf(m, "dialect %s\n", ir_dialect_name(k->dl));
    char hex[65];
    if (stat(CLI_CONFIG_FILE, &st) != 0)
        jy_buf_puts(m, "config absent\n");
    else if (hash_file(CLI_CONFIG_FILE, hex))
        jy_buf_printf(m, "config %s\n", hex);
    else
        return false;
    if (strchr(k->dir, '\n'))
        return false;
    jy_buf_printf(m, "dir %s\nbuilt %" PRId64 "\n", k->dir, built);
    char **paths = NULL;
    size_t n = 0;
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_list_dir(k->dir, &paths, &n, &d);
    jy_diags_free(&d);
    if (rc != 0)
        return false;
    /* each file by its name in the open folder: one lookup, not a path walk */
    int dfd = open(k->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok = dfd >= 0;
    for (size_t i = 0; i < n && ok; i++) {
        const char *slash = strrchr(paths[i], '/');
        const char *name = slash ? slash + 1 : paths[i];
        if (strchr(paths[i], '\n') || fstatat(dfd, name, &st, 0) != 0) {
            ok = false;
            break;
        }
        int64_t mt = ns_of(st.st_mtim), ct = ns_of(st.st_ctim);
        bool racy = mt > built - RACY_NS || ct > built - RACY_NS;
        if (racy && !hash_file(paths[i], hex)) {
            ok = false;
            break;
        }
        jy_buf_printf(m, "f %jd %" PRId64 " %" PRId64 " %ju %s %s\n", (intmax_t)st.st_size, mt,
                      ct, (uintmax_t)st.st_ino, racy ? hex : "-", paths[i]);
    }
    if (dfd >= 0)
        close(dfd);
    fe_free_paths(paths, n);
    jy_buf_puts(m, "end\n");
    return ok && !m->failed;
}

static void miss(cc_cache *k, const char *why)
{
    snprintf(k->why, sizeof k->why, "%s", why);
}

int cc_cache_lookup(cc_cache *k, vm_bundle **out)
{
    *out = NULL;
    size_t len = 0;
    errno = 0;
    unsigned char *p = read_all(k->keypath, KEY_MAX_BYTES, &len);
    if (!p) {
        miss(k, errno == ENOENT ? "no cache yet" : "the cache cannot be read");
        return -1;
    }
    int rc = -1;
    const char *text = (const char *)p;
    size_t ml = strlen(CACHE_MAGIC);
    const char *end = NULL, *built_at = NULL;
    if (len > ml && memcmp(p, CACHE_MAGIC, ml) == 0 && !memchr(p, 0, len)) {
        for (size_t i = ml; i + 5 <= len; i++)
            if (p[i] == '\n' && memcmp(p + i, CACHE_END, 5) == 0) {
                end = text + i + 5;
                break;
            }
        for (size_t i = ml; end && text + i + 7 < end; i++)
            if (p[i] == '\n' && memcmp(p + i, "\nbuilt ", 7) == 0) {
                built_at = text + i + 7;
                break;
            }
    }
    char *stop = NULL;
    long long built = built_at ? strtoll(built_at, &stop, 10) : 0;
    /* after "end": "bundle <64 hex>\n" and nothing else */
    size_t stored = end ? (size_t)(end - text) : 0;
    bool tail_ok = end && len - stored == 7 + 64 + 1 && memcmp(end, "bundle ", 7) == 0 &&
                   end[7 + 64] == '\n';
    if (!tail_ok || !built_at || !stop || *stop != '\n') {
        miss(k, "the cache is damaged");
        goto done;
    }
    jy_buf m;
    jy_buf_init(&m);
    bool have = manifest(k, (int64_t)built, &m);
    if (!have) {
        miss(k, "the migrations folder cannot be listed");
    } else if (m.len != stored || memcmp(m.data, text, stored) != 0) {
        miss(k, "the migrations, joryu.toml or joryu changed");
    } else {
        jy_diags d;
        jy_diags_init(&d);
        if (vm_bundle_load_code(k->path, IR_DMASK(k->dl), k->code, out, &d) != 0) {
            miss(k, "the cached bundle is damaged");
        } else if (memcmp((*out)->body_sha256, end + 7, 64) != 0) {
            vm_bundle_free(*out);
            *out = NULL;
            miss(k, "the cached bundle is not the one its key names");
        } else {
            rc = 0;
        }
        jy_diags_free(&d);
    }
    jy_buf_free(&m);
done:
    free(p);
    return rc;
}

void cc_cache_begin(cc_cache *k)
{
    free(k->manifest);
    k->manifest = NULL;
    if (k->mode == CC_CACHE_OFF)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    k->built_ns = ns_of(now);
    jy_buf m;
    jy_buf_init(&m);
    if (manifest(k, k->built_ns, &m))
        k->manifest = jy_buf_take(&m);
    jy_buf_free(&m);
}

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
 * into place (mode 0600 from mkstemp: the cache holds the project's SQL). */
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

bool cc_cache_store(cc_cache *k, const vm_bundle *b)
{
    if (k->mode == CC_CACHE_OFF || !k->manifest)
        return false;
    jy_buf m;
    jy_buf_init(&m);
    /* a file that changed while it was compiled: the bundle may hold either
     * version, so it is not stored */
    bool same = manifest(k, k->built_ns, &m) && strcmp(m.data, k->manifest) == 0;
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
        jy_buf_puts(&m, "bundle ");
        for (int i = 0; i < 32; i++) {
            jy_buf_putc(&m, dig[data[32 + i] >> 4]);
            jy_buf_putc(&m, dig[data[32 + i] & 15]);
        }
        jy_buf_putc(&m, '\n');
        ok = !m.failed && write_file(k->path, data, len) && write_file(k->keypath, m.data, m.len);
    }
    free(data);
    jy_buf_free(&m);
    return ok;
}
