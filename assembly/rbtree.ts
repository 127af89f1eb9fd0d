// STUB (being written): BSD sys/tree.h red-black tree over nodes in linear memory.
export const RB_LEFT: i32 = 0;
export const RB_RIGHT: i32 = 4;
export const RB_PARENT: i32 = 8;
export const RB_COLOR: i32 = 12;
export const RB_KEY: i32 = 16;
export const RB_NODE_BYTES: i32 = 20;
export function rb_insert(head: i32, node: i32): i32 { return 0; }
export function rb_remove(head: i32, node: i32): i32 { return 0; }
export function rb_find(head: i32, node: i32): i32 { return 0; }
export function rb_lookup(head: i32, key: i32): i32 { return 0; }
export function rb_next(node: i32): i32 { return 0; }
export function rb_prev(node: i32): i32 { return 0; }
export function rb_min(head: i32): i32 { return 0; }
export function rb_max(head: i32): i32 { return 0; }
export function rb_root(head: i32): i32 { return 0; }
export function rb_dump(head: i32): i32 { return 0; }
