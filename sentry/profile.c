/*
 * --profile FILE: a JSON object holding the same options as the command line, so an agent
 * framework can keep one policy file. It is turned into the equivalent options, which go
 * through the same checks; options given on the command line come after it and win.
 *
 *   {"timeout": "30s", "pids": 64, "memory": "512M", "cpu-time": "10s", "clearenv": true,
 *    "env": {"HOME": "/tmp"},
 *    "cwd": "/tmp", "hostname": "box", "uid": 1000, "gid": 1000, "net": "none",
 *    "audit": "audit.jsonl", "json": "result.json", "quiet": true,
 *    "ro": ["/data:/data"], "rw": "/work/out", "tmpfs": ["/scratch:64M"],
 *    "changes": "changes.json", "export": "out-dir"}
 * Options that may be repeated (ro, rw, tmpfs, mask, ro-path) take a string or an array of
 * strings.
 * "net" is --net's value: "none", "host" or "allow=HOST[:PORT],..." (net/net.h), or
 * {"allow": ["HOST[:PORT]", ...]}.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "sentry/sentry.h"

static const char *const value_keys[] = { "timeout", "pids", "files", "fsize", "cwd", "hostname", "uid", "gid",
					   "net", "audit", "trace", "json", "changes", "export",
					   "memory", "cpu-time", "preserve-fds", "json-fd", "seccomp" };
static const char *const flag_keys[] = { "quiet", "debug", "init" };
static const char *const list_keys[] = { "ro", "rw", "tmpfs", "mask", "ro-path" };

struct argv_buf {
	char **v;
	int n;
};

static void
push(struct argv_buf *a, const char *s)
{
	a->v = realloc(a->v, (a->n + 2) * sizeof(char *));
	if (!a->v)
		die(EXIT_SETUP, "out of memory");
	a->v[a->n++] = xstrdup(s);
	a->v[a->n] = NULL;
}

static void __attribute__((noreturn))
bad(const char *path, const char *key, const char *why)
{
	die(EXIT_USAGE, "--profile %s: \"%s\": %s", path, key, why);
}

static void
push_value(struct argv_buf *a, const char *path, const char *key, json_t *v)
{
	char opt[64], num[64];

	snprintf(opt, sizeof(opt), "--%s", key);
	if (json_is_string(v)) {
		push(a, opt);
		push(a, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		push(a, opt);
		push(a, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		push(a, opt);
		push(a, num);
	} else {
		bad(path, key, "expected a string or a number");
	}
}

static void
push_env(struct argv_buf *a, const char *path, json_t *env)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(env)) {
		json_object_foreach(env, k, v) {
			if (!json_is_string(v) || !*k || strchr(k, '='))
				bad(path, "env", "expected {\"NAME\": \"value\", ...}");
			size_t len = strlen(k) + strlen(json_string_value(v)) + 2;
			char *kv = xmalloc(len);
			snprintf(kv, len, "%s=%s", k, json_string_value(v));
			push(a, "--env");
			push(a, kv);
			free(kv);
		}
	} else if (json_is_array(env)) {
		json_array_foreach(env, i, v) {
			if (!json_is_string(v))
				bad(path, "env", "expected [\"NAME=value\", ...]");
			push(a, "--env");
			push(a, json_string_value(v));
		}
	} else {
		bad(path, "env", "expected an object or an array");
	}
}

/* "net": a string (--net's value) or {"allow": ["HOST[:PORT]", ...]} */
static void
push_net(struct argv_buf *a, const char *path, json_t *net)
{
	json_t *allow = json_is_object(net) ? json_object_get(net, "allow") : NULL, *e;
	size_t i, len = 7;
	char *spec;

	if (json_is_string(net)) {
		push(a, "--net");
		push(a, json_string_value(net));
		return;
	}
	if (!allow || !json_is_array(allow) || json_object_size(net) != 1 ||
	    !json_array_size(allow))
		bad(path, "net", "expected \"none\", \"host\", \"allow=...\" or "
				 "{\"allow\": [\"HOST[:PORT]\", ...]}");
	json_array_foreach(allow, i, e) {
		if (!json_is_string(e) || !*json_string_value(e) || strchr(json_string_value(e), ','))
			bad(path, "net", "allow: expected an array of \"HOST[:PORT]\" strings");
		len += strlen(json_string_value(e)) + 1;
	}
	spec = xmalloc(len);
	snprintf(spec, len, "allow=");
	json_array_foreach(allow, i, e) {
		if (i)
			strncat(spec, ",", len - strlen(spec) - 1);
		strncat(spec, json_string_value(e), len - strlen(spec) - 1);
	}
	push(a, "--net");
	push(a, spec);
	free(spec);
}

static bool
in(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* The options a profile stands for, NULL-terminated; *n their count. */
char **
profile_options(const char *path, int *n)
{
	json_error_t err;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err), *v;
	struct argv_buf a = { 0 };
	const char *key;

	if (!root)
		die(EXIT_USAGE, "--profile %s: line %d: %s", path, err.line, err.text);
	if (!json_is_object(root))
		die(EXIT_USAGE, "--profile %s: expected a JSON object of options", path);
	push(&a, "run");
	/* clearenv first, whatever its place in the file, so that env adds to it */
	v = json_object_get(root, "clearenv");
	if (v && !json_is_boolean(v))
		bad(path, "clearenv", "expected true or false");
	if (json_is_true(v))
		push(&a, "--clearenv");
	json_object_foreach(root, key, v) {
		if (!strcmp(key, "clearenv"))
			continue;
		if (!strcmp(key, "env")) {
			push_env(&a, path, v);
		} else if (!strcmp(key, "net")) {
			push_net(&a, path, v);
		} else if (in(key, list_keys, ARRAY_SIZE(list_keys)) && json_is_array(v)) {
			size_t i;
			json_t *e;

			json_array_foreach(v, i, e) {
				if (!json_is_string(e))
					bad(path, key, "expected a string or an array of strings");
				push_value(&a, path, key, e);
			}
		} else if (in(key, list_keys, ARRAY_SIZE(list_keys))) {
			if (!json_is_string(v))
				bad(path, key, "expected a string or an array of strings");
			push_value(&a, path, key, v);
		} else if (in(key, value_keys, ARRAY_SIZE(value_keys))) {
			push_value(&a, path, key, v);
		} else if (in(key, flag_keys, ARRAY_SIZE(flag_keys))) {
			if (!json_is_boolean(v))
				bad(path, key, "expected true or false");
			if (json_is_true(v)) {
				char opt[64];
				snprintf(opt, sizeof(opt), "--%s", key);
				push(&a, opt);
			}
		} else {
			bad(path, key, "unknown option (see 'sandbox --help')");
		}
	}
	json_decref(root);
	*n = a.n;
	return a.v;
}
