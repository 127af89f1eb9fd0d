// STUB (being written): per-process LWP trees keyed by tid (lwp_rb_tree).
export const HEAD_SLOT: i32 = 16;
export function headsInit(): void {}
export function lwptree_alloc(): i32 { return 0; }
export function lwptree_free(head: i32): i32 { return 0; }
export function lwp_insert(head: i32, td: i32, tid: i32): i32 { return 0; }
export function lwp_remove(head: i32, td: i32): i32 { return 0; }
export function lwp_lookup(head: i32, tid: i32): i32 { return 0; }
export function lwp_first(head: i32): i32 { return 0; }
export function lwp_next(td: i32): i32 { return 0; }
export function lwp_count(head: i32): i32 { return 0; }
export function lwptree_dump(head: i32): i32 { return 0; }
export function thread_rbnode(td: i32): i32 { return 0; }
