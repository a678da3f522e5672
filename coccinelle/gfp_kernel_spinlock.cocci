// SPDX-License-Identifier: GPL-2.0-only
/// Find GFP_KERNEL (or another sleeping GFP_* mask) allocations made while a
/// spinlock or rwlock is held.  A GFP_KERNEL allocation may sleep for
/// reclaim; sleeping with a spinlock held is a "BUG: sleeping function
/// called from invalid context" at best and a deadlock at worst.  Allocate
/// before taking the lock, or use GFP_ATOMIC/GFP_NOWAIT and handle failure.
///
/// The lock region is followed along any path (exists) from
/// spin_lock*()/read_lock*()/write_lock*() (and their _bh/_irq/_irqsave
/// forms) to the matching unlock on the same lock expression;
/// any call with GFP_KERNEL, GFP_USER, GFP_NOFS, GFP_NOIO or
/// GFP_KERNEL_ACCOUNT among its arguments counts.  Calls in other functions
/// are the kernel's locks/call_kern.cocci business.
//
// Confidence: High
// Copyright: (C) 2025 The kftp authors.
// Comments: samples in coccinelle/tests/gfp_kernel_spinlock-{pos,neg}.c
// Options: --no-includes --include-headers
// Files: all

virtual report

@r depends on report exists@
expression L;
identifier lock = {spin_lock, spin_lock_bh, spin_lock_irq, spin_lock_irqsave,
		   spin_lock_nested, read_lock, read_lock_bh, read_lock_irq,
		   read_lock_irqsave, write_lock, write_lock_bh, write_lock_irq,
		   write_lock_irqsave};
identifier unlock = {spin_unlock, spin_unlock_bh, spin_unlock_irq,
		     spin_unlock_irqrestore, read_unlock, read_unlock_bh,
		     read_unlock_irq, read_unlock_irqrestore, write_unlock,
		     write_unlock_bh, write_unlock_irq, write_unlock_irqrestore};
identifier gfp = {GFP_KERNEL, GFP_USER, GFP_NOFS, GFP_NOIO, GFP_KERNEL_ACCOUNT};
identifier f;
position p1, p;
@@
lock@p1(L, ...);
... when != unlock(L, ...)
f@p(..., <+... gfp ...+>, ...)

@script:python depends on report@
p << r.p;
p1 << r.p1;
f << r.f;
g << r.gfp;
@@
coccilib.report.print_report(p[0], "%s(%s) with a spinlock held (taken on line %s): allocate before locking or use GFP_ATOMIC" % (f, g, p1[0].line))
