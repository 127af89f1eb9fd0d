// STUB (being written): kernel threads, stacks, pcb, trapframe, cpu_fork.
import { EINVAL, ENOMEM } from "./i386";
export const THR_SLOT: i32 = 64;
export function threadsInit(): void {}
export function thread_alloc(): i32 { return -ENOMEM; }
export function thread_free(td: i32): i32 { return -EINVAL; }
export function thread_valid(td: i32): i32 { return 0; }
export function thread_kstack(td: i32): i32 { return 0; }
export function thread_pcb(td: i32): i32 { return 0; }
export function thread_regs(td: i32): i32 { return 0; }
export function thread_sp(td: i32): i32 { return 0; }
export function pcb_get(td: i32, off: i32): i32 { return 0; }
export function pcb_set(td: i32, off: i32, v: i32): void {}
export function tf_get(td: i32, off: i32): i32 { return 0; }
export function tf_set(td: i32, off: i32, v: i32): void {}
export function cpu_fork(td1: i32, td2: i32, pm2: i32, flags: i32): i32 { return -EINVAL; }
export function cpu_set_fork_handler(td: i32, func: i32, arg: i32): void {}
export function cpu_prepare_lwp(td: i32, pm: i32, func: i32, arg: i32, stack: i32): i32 { return -EINVAL; }
export function cpu_switchin(td: i32): i32 { return 0; }
export function fork_return(td: i32): void {}
export function exec_setregs(td: i32, entry: i32, stack: i32, psStrings: i32): void {}
export function threads_used(): i32 { return 0; }
