/* true: exit(0). vfork-exec runs it as /bin/true. */
        .include "sys.inc"
        .text
        .globl _start
_start:
        EXIT $0
