/** Measurements of the process provider as a user's module sees it: on the module path, no patching. */
module bench {
    requires futures.core;
}
