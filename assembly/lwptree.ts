// Per-process LWP trees: p_lwp_tree, the lwp_rb_tree of kern_fork.c 1.76, keyed by
// lwp_tid (signed). The nodes are the RB entries embedded in the kernel-thread slots
// (cpu.ts: bytes 16..35 of a slot, key = tid at 32), the heads live in a table.
//
// Head table: HEAD_SLOT bytes per head at ld32(K + C_HEAD_TAB) + i * HEAD_SLOT:
//    0 rbh_root   4 rbh_inprog (always 0: forklab has no RB_SCAN; see rbtree.ts)
//    8 in use (1) or free (0)   12 next free head (linear address, 0 = none)
// The free list's head is at K + C_HEAD_FREE (LIFO); slots at or above K + C_HEAD_HWM
// were never handed out; K + C_HEAD_MAX slots in all.
//
// A thread's RB node is zeroed when cpu.ts allocates the slot and again here when the
// thread leaves a tree, so a node outside every tree has no links; the slot also names
// the tree it is in (T_TREE). lwp_insert refuses a node that is in a tree already,
// lwp_remove a node that is not in the given tree, and thread_free a thread still in a
// tree: no bad call corrupts a tree.
import { ld32, st32, ltu, divu } from "./mem";
import { K, C_HEAD_TAB, C_HEAD_MAX, C_HEAD_FREE, C_HEAD_HWM, C_THR_TAB, C_THR_MAX } from "./state";
import { EINVAL } from "./i386";
import { THR_SLOT, T_TREE, thread_valid } from "./cpu";
import {
  RB_LEFT, RB_RIGHT, RB_PARENT, RB_COLOR, RB_KEY, rb_insert, rb_remove, rb_lookup, rb_min,
  rb_next, rb_dump,
} from "./rbtree";

export const HEAD_SLOT: i32 = 16;
const H_ROOT: i32 = 0;
const H_INPROG: i32 = 4;
const H_INUSE: i32 = 8;
const H_NEXT: i32 = 12;
/** Offset of the RB node in a thread slot. */
export const TD_RBNODE: i32 = 16;

/** Core init: the table is zeroed already, so every slot is free and above the high-water mark. */
export function headsInit(): void {
  st32(K + C_HEAD_FREE, 0);
  st32(K + C_HEAD_HWM, 0);
}

/** RB_INIT on a fresh head: its linear address, or 0 when every head is in use. */
export function lwptree_alloc(): i32 {
  let h = ld32(K + C_HEAD_FREE);
  if (h != 0) {
    st32(K + C_HEAD_FREE, ld32(h + H_NEXT));
  } else {
    const hwm = ld32(K + C_HEAD_HWM);
    if (hwm >= ld32(K + C_HEAD_MAX)) return 0;
    h = ld32(K + C_HEAD_TAB) + hwm * HEAD_SLOT;
    st32(K + C_HEAD_HWM, hwm + 1);
  }
  st32(h + H_ROOT, 0);
  st32(h + H_INPROG, 0);
  st32(h + H_INUSE, 1);
  st32(h + H_NEXT, 0);
  return h;
}

/** Whether head is an allocated head of the table. */
function headOk(head: i32): bool {
  const off = (head - ld32(K + C_HEAD_TAB)) | 0;
  return (off & (HEAD_SLOT - 1)) == 0 && ltu(off, ld32(K + C_HEAD_HWM) * HEAD_SLOT)
    && ld32(head + H_INUSE) != 0;
}

/** Whether head is a tree head in use: 1 or 0. */
export function lwptree_valid(head: i32): i32 { return headOk(head) ? 1 : 0; }

/** Returns an empty tree's head to the table: 0, or -EINVAL (not a head in use, or not empty). */
export function lwptree_free(head: i32): i32 {
  if (!headOk(head) || ld32(head + H_ROOT) != 0) return -EINVAL;
  st32(head + H_INUSE, 0);
  st32(head + H_NEXT, ld32(K + C_HEAD_FREE));
  st32(K + C_HEAD_FREE, head);
  return 0;
}

/** The linear address of thread td's RB node, or 0 if td is out of range. */
export function thread_rbnode(td: i32): i32 {
  if (td < 1 || td > ld32(K + C_THR_MAX)) return 0;
  return ld32(K + C_THR_TAB) + (td - 1) * THR_SLOT + TD_RBNODE;
}

/** The td whose slot holds RB node `node` (0 for NULL). */
function nodeTd(node: i32): i32 {
  if (node == 0) return 0;
  return divu((node - ld32(K + C_THR_TAB) - TD_RBNODE) | 0, THR_SLOT) + 1;
}

/**
 * The lwp_rb_tree_RB_INSERT of lwp_fork: sets td's key to tid and inserts it. 0 when
 * inserted, else the td already holding tid (nothing inserted; lwp_fork then tries the
 * next tid). -EINVAL for a bad head or td, or a td already in a tree.
 */
export function lwp_insert(head: i32, td: i32, tid: i32): i32 {
  if (!headOk(head)) return -EINVAL;
  const node = thread_rbnode(td);
  if (node == 0 || thread_valid(td) != 1) return -EINVAL;
  const tree = ld32(node - TD_RBNODE + T_TREE);
  if (tree == head) {
    // Already here: RB_INSERT would find it (same key) and return it.
    return ld32(node + RB_KEY) == tid ? td : -EINVAL;
  }
  if (tree != 0) return -EINVAL; // in another process's tree
  st32(node + RB_KEY, tid); // lp->lwp_tid = tid, kept even when the insert fails
  const dup = rb_insert(head, node);
  if (dup == 0) st32(node - TD_RBNODE + T_TREE, head);
  return nodeTd(dup);
}

/** lwp_rb_tree_RB_REMOVE: 0, or -EINVAL if td is not in this tree. */
export function lwp_remove(head: i32, td: i32): i32 {
  if (!headOk(head)) return -EINVAL;
  const node = thread_rbnode(td);
  if (node == 0 || ld32(node - TD_RBNODE + T_TREE) != head) return -EINVAL;
  rb_remove(head, node);
  st32(node - TD_RBNODE + T_TREE, 0);
  st32(node + RB_LEFT, 0);
  st32(node + RB_RIGHT, 0);
  st32(node + RB_PARENT, 0);
  st32(node + RB_COLOR, 0);
  return 0;
}

/** lwp_rb_tree_RB_LOOKUP(head, tid): the td with that tid, or 0. */
export function lwp_lookup(head: i32, tid: i32): i32 {
  if (!headOk(head)) return 0;
  return nodeTd(rb_lookup(head, tid));
}

/** RB_FIRST (FIRST_LWP_IN_PROC): the td with the least tid, or 0. */
export function lwp_first(head: i32): i32 {
  if (!headOk(head)) return 0;
  return nodeTd(rb_min(head));
}

/** RB_NEXT: the td with the next tid in td's tree, or 0 (also for a td in no tree). */
export function lwp_next(td: i32): i32 {
  const node = thread_rbnode(td);
  if (node == 0) return 0;
  return nodeTd(rb_next(node));
}

/** Threads in the tree (RB_FOREACH), or -EINVAL for a bad head. */
export function lwp_count(head: i32): i32 {
  if (!headOk(head)) return -EINVAL;
  let n = 0;
  for (let node = rb_min(head); node != 0; node = rb_next(node)) n++;
  return n;
}

/** rb_dump of an LWP tree (keys are tids), or -EINVAL for a bad head. */
export function lwptree_dump(head: i32): i32 {
  if (!headOk(head)) return -EINVAL;
  return rb_dump(head);
}
