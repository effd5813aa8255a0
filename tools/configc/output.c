/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

static bool mkdir_p(const char *dir)
{
	char path[BHCC_FILE_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return false;
	strcpy(path, dir);
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return mkdir(path, 0777) == 0 || errno == EEXIST;
}

bool out_init(struct outputs *o, const char *dir, struct diag *d)
{
	o->dir = dir;
	o->diag = d;
	o->failed = false;
	o->n = 0;
	if (!mkdir_p(dir)) {
		diag_error(d, NULL, NULL, "cannot create output directory '%s': %s", dir,
			   strerror(errno));
		o->failed = true;
	}
	return !o->failed;
}

FILE *out_begin(struct outputs *o, const char *name)
{
	struct out_file *f;
	FILE *fp;
	int fd;

	if (o->failed)
		return NULL;
	if (o->n == OUT_MAX_FILES) {
		diag_error(o->diag, NULL, NULL, "more than %u output files", OUT_MAX_FILES);
		o->failed = true;
		return NULL;
	}
	f = &o->f[o->n];
	if ((size_t)snprintf(f->final, sizeof(f->final), "%s/%s", o->dir, name) >= sizeof(f->final) ||
	    (size_t)snprintf(f->tmp, sizeof(f->tmp), "%s/.%s.XXXXXX", o->dir, name) >= sizeof(f->tmp)) {
		diag_error(o->diag, NULL, NULL, "output path '%s/%s' is too long", o->dir, name);
		o->failed = true;
		return NULL;
	}
	fd = mkstemp(f->tmp);
	if (fd < 0 || !(fp = fdopen(fd, "w"))) {
		diag_error(o->diag, NULL, NULL, "cannot write '%s': %s", f->final, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		o->failed = true;
		return NULL;
	}
	/* mkstemp makes 0600; generated files are ordinary build outputs. */
	fchmod(fd, 0644);
	o->n++;
	return fp;
}

void out_end(struct outputs *o, FILE *f)
{
	bool bad = ferror(f) != 0;

	if (fclose(f) != 0 || bad) {
		diag_error(o->diag, NULL, NULL, "cannot write '%s': %s", o->f[o->n - 1].final,
			   strerror(errno ? errno : EIO));
		o->failed = true;
	}
}

void out_blob(struct outputs *o, const char *name, const void *data, size_t len)
{
	FILE *f = out_begin(o, name);

	if (!f)
		return;
	fwrite(data, 1, len, f);
	out_end(o, f);
}

bool out_commit(struct outputs *o)
{
	for (unsigned i = 0; i < o->n && !o->failed; i++) {
		if (rename(o->f[i].tmp, o->f[i].final) != 0) {
			diag_error(o->diag, NULL, NULL, "cannot write '%s': %s", o->f[i].final,
				   strerror(errno));
			o->failed = true;
		} else {
			o->f[i].tmp[0] = '\0';   /* renamed: nothing left to remove */
		}
	}
	if (!o->failed)
		return true;
	for (unsigned i = 0; i < o->n; i++) {
		if (o->f[i].tmp[0])
			unlink(o->f[i].tmp);
	}
	return false;
}

void out_remove(const char *dir, const char *name, const char *keep)
{
	char path[BHCC_FILE_MAX];
	struct stat a, b;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return;
	if (keep && stat(path, &a) == 0 && stat(keep, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return;
	unlink(path);
}
