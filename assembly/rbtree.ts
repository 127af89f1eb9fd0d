// The red-black tree of DragonFly's sys/tree.h 1.11 (2008/01/07): Niels Provos's classic
// RB tree with parent pointers and the colour in the entry, exactly as reference §7 and
// the RB_GENERATE2 expansion for lwp_rb_tree (kern_fork.c 1.76). Every step, including
// which node is rotated and which colour is written when, follows the macros, so a tree
// built here has the same shape and colours as one built by the C code from the same
// operations (test/fixtures/rb checks this against BSD's header).
//
// Nodes live anywhere in linear memory (any alignment); pointers are linear addresses,
// 0 = NULL. RB_AUGMENT is empty, so it is left out.
//
//   node:  0 rbe_left   4 rbe_right   8 rbe_parent   12 rbe_color   16 key (signed i32)
//   head:  0 rbh_root   4 rbh_inprog
//
// rbh_inprog is DragonFly's list of in-progress RB_SCAN iterators, which RB_REMOVE
// advances past the node being removed. Forklab has no RB_SCAN, so rbh_inprog is always
// 0 and REMOVE's step 1 has nothing to do.
//
// The comparator is rb_lwp_compare: keys compared as signed ints. LOOKUP is RB_GENERATE2's
// scalar search against the key field.
import { ld32, st32, st8 } from "./mem";
import { inMemory } from "./core";
import { K, C_IOBUF, C_IOBUF_BYTES } from "./state";
import { ENOMEM, EINVAL, EFAULT } from "./i386";

export const RB_LEFT: i32 = 0;
export const RB_RIGHT: i32 = 4;
export const RB_PARENT: i32 = 8;
export const RB_COLOR: i32 = 12;
export const RB_KEY: i32 = 16;
export const RB_NODE_BYTES: i32 = 20;

export const RB_HEAD_ROOT: i32 = 0;
export const RB_HEAD_INPROG: i32 = 4;
export const RB_HEAD_BYTES: i32 = 8;

export const RB_BLACK: i32 = 0;
export const RB_RED: i32 = 1;

/** RB_ROTATE_LEFT(head, elm, tmp). */
function rotateLeft(head: i32, elm: i32): void {
  const tmp = ld32(elm + RB_RIGHT);
  const tl = ld32(tmp + RB_LEFT);
  st32(elm + RB_RIGHT, tl);
  if (tl != 0) st32(tl + RB_PARENT, elm);
  const ep = ld32(elm + RB_PARENT);
  st32(tmp + RB_PARENT, ep);
  if (ep != 0) {
    if (elm == ld32(ep + RB_LEFT)) st32(ep + RB_LEFT, tmp);
    else st32(ep + RB_RIGHT, tmp);
  } else {
    st32(head + RB_HEAD_ROOT, tmp);
  }
  st32(tmp + RB_LEFT, elm);
  st32(elm + RB_PARENT, tmp);
}

/** RB_ROTATE_RIGHT(head, elm, tmp). */
function rotateRight(head: i32, elm: i32): void {
  const tmp = ld32(elm + RB_LEFT);
  const tr = ld32(tmp + RB_RIGHT);
  st32(elm + RB_LEFT, tr);
  if (tr != 0) st32(tr + RB_PARENT, elm);
  const ep = ld32(elm + RB_PARENT);
  st32(tmp + RB_PARENT, ep);
  if (ep != 0) {
    if (elm == ld32(ep + RB_LEFT)) st32(ep + RB_LEFT, tmp);
    else st32(ep + RB_RIGHT, tmp);
  } else {
    st32(head + RB_HEAD_ROOT, tmp);
  }
  st32(tmp + RB_RIGHT, elm);
  st32(elm + RB_PARENT, tmp);
}

/** Colour of a possibly NULL node: NULL counts as black. */
function isRed(n: i32): bool { return n != 0 && ld32(n + RB_COLOR) == RB_RED; }

/** name_RB_INSERT_COLOR. */
function insertColor(head: i32, elm: i32): void {
  let parent = ld32(elm + RB_PARENT);
  while (parent != 0 && ld32(parent + RB_COLOR) == RB_RED) {
    const gparent = ld32(parent + RB_PARENT);
    if (parent == ld32(gparent + RB_LEFT)) {
      const tmp = ld32(gparent + RB_RIGHT);
      if (isRed(tmp)) {
        st32(tmp + RB_COLOR, RB_BLACK);
        st32(parent + RB_COLOR, RB_BLACK);
        st32(gparent + RB_COLOR, RB_RED);
        elm = gparent;
        parent = ld32(elm + RB_PARENT);
        continue;
      }
      if (ld32(parent + RB_RIGHT) == elm) {
        rotateLeft(head, parent);
        const t = parent; parent = elm; elm = t;
      }
      st32(parent + RB_COLOR, RB_BLACK);
      st32(gparent + RB_COLOR, RB_RED);
      rotateRight(head, gparent);
    } else {
      const tmp = ld32(gparent + RB_LEFT);
      if (isRed(tmp)) {
        st32(tmp + RB_COLOR, RB_BLACK);
        st32(parent + RB_COLOR, RB_BLACK);
        st32(gparent + RB_COLOR, RB_RED);
        elm = gparent;
        parent = ld32(elm + RB_PARENT);
        continue;
      }
      if (ld32(parent + RB_LEFT) == elm) {
        rotateRight(head, parent);
        const t = parent; parent = elm; elm = t;
      }
      st32(parent + RB_COLOR, RB_BLACK);
      st32(gparent + RB_COLOR, RB_RED);
      rotateLeft(head, gparent);
    }
    // The macro re-reads elm's parent at the top of the loop.
    parent = ld32(elm + RB_PARENT);
  }
  st32(ld32(head + RB_HEAD_ROOT) + RB_COLOR, RB_BLACK);
}

/** name_RB_REMOVE_COLOR(head, parent, elm). */
function removeColor(head: i32, parent: i32, elm: i32): void {
  while ((elm == 0 || ld32(elm + RB_COLOR) == RB_BLACK) && elm != ld32(head + RB_HEAD_ROOT)) {
    if (ld32(parent + RB_LEFT) == elm) {
      let tmp = ld32(parent + RB_RIGHT);
      if (ld32(tmp + RB_COLOR) == RB_RED) {
        st32(tmp + RB_COLOR, RB_BLACK);
        st32(parent + RB_COLOR, RB_RED);
        rotateLeft(head, parent);
        tmp = ld32(parent + RB_RIGHT);
      }
      if (!isRed(ld32(tmp + RB_LEFT)) && !isRed(ld32(tmp + RB_RIGHT))) {
        st32(tmp + RB_COLOR, RB_RED);
        elm = parent;
        parent = ld32(elm + RB_PARENT);
      } else {
        if (!isRed(ld32(tmp + RB_RIGHT))) {
          const oleft = ld32(tmp + RB_LEFT);
          if (oleft != 0) st32(oleft + RB_COLOR, RB_BLACK);
          st32(tmp + RB_COLOR, RB_RED);
          rotateRight(head, tmp);
          tmp = ld32(parent + RB_RIGHT);
        }
        st32(tmp + RB_COLOR, ld32(parent + RB_COLOR));
        st32(parent + RB_COLOR, RB_BLACK);
        const tr = ld32(tmp + RB_RIGHT);
        if (tr != 0) st32(tr + RB_COLOR, RB_BLACK);
        rotateLeft(head, parent);
        elm = ld32(head + RB_HEAD_ROOT);
        break;
      }
    } else {
      let tmp = ld32(parent + RB_LEFT);
      if (ld32(tmp + RB_COLOR) == RB_RED) {
        st32(tmp + RB_COLOR, RB_BLACK);
        st32(parent + RB_COLOR, RB_RED);
        rotateRight(head, parent);
        tmp = ld32(parent + RB_LEFT);
      }
      if (!isRed(ld32(tmp + RB_LEFT)) && !isRed(ld32(tmp + RB_RIGHT))) {
        st32(tmp + RB_COLOR, RB_RED);
        elm = parent;
        parent = ld32(elm + RB_PARENT);
      } else {
        if (!isRed(ld32(tmp + RB_LEFT))) {
          const oright = ld32(tmp + RB_RIGHT);
          if (oright != 0) st32(oright + RB_COLOR, RB_BLACK);
          st32(tmp + RB_COLOR, RB_RED);
          rotateLeft(head, tmp);
          tmp = ld32(parent + RB_LEFT);
        }
        st32(tmp + RB_COLOR, ld32(parent + RB_COLOR));
        st32(parent + RB_COLOR, RB_BLACK);
        const tl = ld32(tmp + RB_LEFT);
        if (tl != 0) st32(tl + RB_COLOR, RB_BLACK);
        rotateRight(head, parent);
        elm = ld32(head + RB_HEAD_ROOT);
        break;
      }
    }
  }
  if (elm != 0) st32(elm + RB_COLOR, RB_BLACK);
}

/** Replaces `old` by `child` in old's parent (or at the root); old's parent is `parent`. */
function replaceChild(head: i32, parent: i32, old: i32, child: i32): void {
  if (parent != 0) {
    if (ld32(parent + RB_LEFT) == old) st32(parent + RB_LEFT, child);
    else st32(parent + RB_RIGHT, child);
  } else {
    st32(head + RB_HEAD_ROOT, child);
  }
}

/**
 * RB_INSERT: 0 when `node` was inserted (as a red leaf, then rebalanced), else the node
 * already in the tree with an equal key (nothing is changed then).
 */
export function rb_insert(head: i32, node: i32): i32 {
  const key = ld32(node + RB_KEY);
  let tmp = ld32(head + RB_HEAD_ROOT);
  let parent = 0;
  let left = false;
  while (tmp != 0) {
    parent = tmp;
    const k = ld32(tmp + RB_KEY);
    if (key < k) { left = true; tmp = ld32(tmp + RB_LEFT); }
    else if (key > k) { left = false; tmp = ld32(tmp + RB_RIGHT); }
    else return tmp;
  }
  // RB_SET(elm, parent)
  st32(node + RB_PARENT, parent);
  st32(node + RB_LEFT, 0);
  st32(node + RB_RIGHT, 0);
  st32(node + RB_COLOR, RB_RED);
  if (parent != 0) {
    st32(parent + (left ? RB_LEFT : RB_RIGHT), node);
  } else {
    st32(head + RB_HEAD_ROOT, node);
  }
  insertColor(head, node);
  return 0;
}

/**
 * RB_REMOVE: unlinks `node` (which must be in the tree) and returns it. A node with two
 * children is replaced by its in-order successor, which takes over node's whole entry
 * (left, right, parent, colour). node's own entry is left as it was.
 */
export function rb_remove(head: i32, node: i32): i32 {
  const old = node;
  let elm = node;
  let child = 0;
  let parent = 0;
  let color = 0;
  const ol = ld32(old + RB_LEFT);
  const or = ld32(old + RB_RIGHT);
  if (ol == 0) {
    child = or;
  } else if (or == 0) {
    child = ol;
  } else {
    elm = or;
    let l = ld32(elm + RB_LEFT);
    while (l != 0) { elm = l; l = ld32(elm + RB_LEFT); }
    child = ld32(elm + RB_RIGHT);
    parent = ld32(elm + RB_PARENT);
    color = ld32(elm + RB_COLOR);
    if (child != 0) st32(child + RB_PARENT, parent);
    replaceChild(head, parent, elm, child); // parent is never 0 here: elm is below old
    if (parent == old) parent = elm;
    // (elm)->field = (old)->field: re-read, since the splice may have changed old's right.
    const oldParent = ld32(old + RB_PARENT);
    const oldRight = ld32(old + RB_RIGHT);
    st32(elm + RB_LEFT, ol);
    st32(elm + RB_RIGHT, oldRight);
    st32(elm + RB_PARENT, oldParent);
    st32(elm + RB_COLOR, ld32(old + RB_COLOR));
    replaceChild(head, oldParent, old, elm);
    st32(ol + RB_PARENT, elm);
    if (oldRight != 0) st32(oldRight + RB_PARENT, elm);
    if (color == RB_BLACK) removeColor(head, parent, child);
    return old;
  }
  parent = ld32(elm + RB_PARENT);
  color = ld32(elm + RB_COLOR);
  if (child != 0) st32(child + RB_PARENT, parent);
  replaceChild(head, parent, elm, child);
  if (color == RB_BLACK) removeColor(head, parent, child);
  return old;
}

/** RB_FIND: the node whose key equals node's key, or 0. */
export function rb_find(head: i32, node: i32): i32 {
  return rb_lookup(head, ld32(node + RB_KEY));
}

/** RB_LOOKUP (RB_GENERATE2): the node with this key, or 0. */
export function rb_lookup(head: i32, key: i32): i32 {
  let tmp = ld32(head + RB_HEAD_ROOT);
  while (tmp != 0) {
    const k = ld32(tmp + RB_KEY);
    if (key > k) tmp = ld32(tmp + RB_RIGHT);
    else if (key < k) tmp = ld32(tmp + RB_LEFT);
    else return tmp;
  }
  return 0;
}

/** RB_NEXT: the in-order successor, or 0. */
export function rb_next(elm: i32): i32 {
  let r = ld32(elm + RB_RIGHT);
  if (r != 0) {
    elm = r;
    r = ld32(elm + RB_LEFT);
    while (r != 0) { elm = r; r = ld32(elm + RB_LEFT); }
    return elm;
  }
  let p = ld32(elm + RB_PARENT);
  if (p != 0 && elm == ld32(p + RB_LEFT)) return p;
  while (p != 0 && elm == ld32(p + RB_RIGHT)) { elm = p; p = ld32(elm + RB_PARENT); }
  return p;
}

/** RB_PREV: the in-order predecessor, or 0. */
export function rb_prev(elm: i32): i32 {
  let l = ld32(elm + RB_LEFT);
  if (l != 0) {
    elm = l;
    l = ld32(elm + RB_RIGHT);
    while (l != 0) { elm = l; l = ld32(elm + RB_RIGHT); }
    return elm;
  }
  let p = ld32(elm + RB_PARENT);
  if (p != 0 && elm == ld32(p + RB_RIGHT)) return p;
  while (p != 0 && elm == ld32(p + RB_LEFT)) { elm = p; p = ld32(elm + RB_PARENT); }
  return p;
}

/** RB_MINMAX(head, val): leftmost node for val < 0, else rightmost; 0 if empty. */
function minmax(head: i32, val: i32): i32 {
  let tmp = ld32(head + RB_HEAD_ROOT);
  let parent = 0;
  const off = val < 0 ? RB_LEFT : RB_RIGHT;
  while (tmp != 0) { parent = tmp; tmp = ld32(tmp + off); }
  return parent;
}

export function rb_min(head: i32): i32 { return minmax(head, -1); }
export function rb_max(head: i32): i32 { return minmax(head, 1); }
export function rb_root(head: i32): i32 { return ld32(head + RB_HEAD_ROOT); }

// ---- the preorder dump ----

/** A valid tree of nodes in a 4 GiB memory is far shallower (2·log2(2^28) = 56). */
const DUMP_MAX_DEPTH: i32 = 64;

/** Writes v in signed decimal at buf + off; the new offset, or -1 if it passes cap. */
function putInt(buf: i32, off: i32, cap: i32, v: i32): i32 {
  let n = v < 0 ? 2 : 1;
  let t = (v / 10) | 0;
  while (t != 0) { n++; t = (t / 10) | 0; }
  if (n > cap - off) return -1;
  if (v < 0) st8(buf + off, 45); // '-'
  // Work with the non-positive magnitude, so that -2147483648 needs no special case.
  let m = v < 0 ? v : -v;
  let q = off + n;
  do {
    q--;
    st8(buf + q, 48 - (m % 10));
    m = (m / 10) | 0;
  } while (m != 0);
  return off + n;
}

/** Preorder dump of the subtree at node into buf at off; the new offset or a negative errno. */
function dumpNode(buf: i32, off: i32, cap: i32, node: i32, depth: i32): i32 {
  if (node == 0) {
    if (off >= cap) return -ENOMEM;
    st8(buf + off, 46); // '.'
    return off + 1;
  }
  if (depth >= DUMP_MAX_DEPTH) return -EINVAL;
  if (!inMemory(node, RB_NODE_BYTES)) return -EFAULT;
  off = putInt(buf, off, cap, ld32(node + RB_KEY));
  if (off < 0 || cap - off < 3) return -ENOMEM;
  st8(buf + off, 58); // ':'
  st8(buf + off + 1, ld32(node + RB_COLOR) == RB_RED ? 82 : 66); // 'R' / 'B'
  st8(buf + off + 2, 32);
  off = dumpNode(buf, off + 3, cap, ld32(node + RB_LEFT), depth + 1);
  if (off < 0) return off;
  if (off >= cap) return -ENOMEM;
  st8(buf + off, 32);
  return dumpNode(buf, off + 1, cap, ld32(node + RB_RIGHT), depth + 1);
}

/**
 * Writes the preorder dump of the tree into the I/O buffer as ASCII: `KEY:R` or `KEY:B`
 * per node, `.` per empty child, single spaces between (an empty tree is `.`). Returns the
 * length, -ENOMEM if it does not fit, -EFAULT / -EINVAL for a head or node outside memory
 * or a structure deeper than any RB tree can be (a corrupt tree).
 */
export function rb_dump(head: i32): i32 {
  if (!inMemory(head, RB_HEAD_BYTES)) return -EFAULT;
  const buf = ld32(K + C_IOBUF);
  const cap = ld32(K + C_IOBUF_BYTES);
  return dumpNode(buf, 0, cap, ld32(head + RB_HEAD_ROOT), 0);
}

