/* Access paths across a call or spawn boundary.
 *
 * A call (or spawn) binds its argument paths to the callee's parameters in
 * order, the receiver first. A path the callee names through a parameter is
 * the argument's path followed by the rest; globals and variables the callee
 * captures from an enclosing function mean the same on both sides; the
 * callee's own locals mean nothing outside it. */
#ifndef MAPSAFE_BINDING_H
#define MAPSAFE_BINDING_H

#include "ir.h"

typedef struct ms_binding {
    const ms_unit *unit;
    uint32_t callee;
    const ms_path *args;
    uint32_t nargs;
} ms_binding;

/* A global, or a symbol of `func` or of a function `func` is nested in. */
bool ms_sym_visible(const ms_unit *u, uint32_t sym, uint32_t func);

/* `in`, in the callee's terms, rewritten in the caller's. False when it
 * cannot be (rooted at a callee local, too long). An index by a callee
 * local becomes unknown. */
bool ms_bind_out(const ms_binding *b, const ms_path *in, ms_path *out);

/* `in`, in the caller's terms, rewritten in the callee's: through the
 * parameter whose argument is a prefix of it, or unchanged when the callee
 * can name its root. False otherwise. */
bool ms_bind_in(const ms_binding *b, const ms_path *in, ms_path *out);

#endif
