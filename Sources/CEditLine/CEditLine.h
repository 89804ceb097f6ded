/* libedit (BSD licence), the line editor of `chorus repl`. el_set, el_get and history are variadic,
 * which Swift cannot call: the wrappers below give each use its own fixed signature. */
#ifndef CEDITLINE_H
#define CEDITLINE_H
#include <stdio.h>
#include <histedit.h>
#include <sys/ioctl.h>

/* An editor on the process's stdin, stdout and stderr. */
static inline EditLine *cel_init(const char *program) { return el_init(program, stdin, stdout, stderr); }
/* Writes to the editor's output stream (the list of completions), flushed. */
static inline void cel_print(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

typedef char *(*cel_prompt_fn)(EditLine *);
typedef unsigned char (*cel_key_fn)(EditLine *, int);

/* The prompt; characters between two `ignore` characters are escape sequences (colour) of width 0. */
static inline int cel_set_prompt(EditLine *el, cel_prompt_fn fn, char ignore) {
    return el_set(el, EL_PROMPT_ESC, fn, ignore);
}
static inline int cel_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cel_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int cel_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *cel_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int cel_add_function(EditLine *el, const char *name, const char *help, cel_key_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int cel_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, (const char *)NULL);
}
/* Terminal flags of the editing mode, e.g. "-isig": Ctrl-C then reaches the editor as a key. */
static inline int cel_setty(EditLine *el, const char *flag) {
    return el_set(el, EL_SETTY, "-d", flag, (const char *)NULL);
}
/* How many bytes wait to be read on `fd` (what was typed ahead on a terminal); 0 when unknown. */
static inline int cel_pending_bytes(int fd) {
    int count = 0;
    return ioctl(fd, FIONREAD, &count) == 0 ? count : 0;
}
static inline int cel_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

static inline int cel_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
static inline int cel_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}
static inline int cel_history_clear(History *h) {
    HistEvent ev;
    return history(h, &ev, H_CLEAR);
}
#endif
