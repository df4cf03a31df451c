// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: tables. A netns has several: each VIF is in one, and a packet is
 * looked up among the routes of its input VIF's table.
 *
 * A table is named by a u32 id (a VRF's FIB table, or one the controller
 * picks) and exists while a VIF or a route uses it; table 0 always exists.
 * Routes are keyed by a small index of their table instead of its id
 * (struct mfwd_key.table), which keeps the IPv4 key at 12 bytes.
 *
 * The netns counters (STATS_GET) are kept per table, where the data path
 * counts them; a netns's are the sum of its tables' and of those of the
 * tables that went away (mfwd_net.retired).
 */
#include <linux/slab.h>

#include "mfwd.h"

/* Indexes of the tables a netns can have at once; 0 is table 0's. */
#define MFWD_TABLE_IDX_MAX	U16_MAX

int mfwd_tables_init(struct mfwd_net *mn)
{
	struct mfwd_table *t;

	xa_init(&mn->tables);
	xa_init_flags(&mn->table_idx, XA_FLAGS_ALLOC);
	t = mfwd_table_get(mn, 0);
	if (IS_ERR(t))
		return PTR_ERR(t);
	WARN_ON(t->idx);
	mn->table0 = t;
	return 0;
}

static void mfwd_table_free(struct mfwd_table *t)
{
	free_percpu(t->stats);
	kfree(t);
}

static void mfwd_table_free_rcu(struct rcu_head *head)
{
	mfwd_table_free(container_of(head, struct mfwd_table, rcu));
}

/* Context: every VIF and route gone, after an RCU barrier. */
void mfwd_tables_destroy(struct mfwd_net *mn)
{
	struct mfwd_table *t = mn->table0;

	if (t) {
		xa_erase(&mn->tables, 0);
		xa_erase(&mn->table_idx, 0);
		mfwd_table_free(t);	/* no reader is left */
	}
	WARN_ON(!xa_empty(&mn->tables));
	xa_destroy(&mn->tables);
	xa_destroy(&mn->table_idx);
}

/* Sum @t's counters into @c. */
static void mfwd_table_stats_add(const struct mfwd_table *t, u64 *c)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct mfwd_net_stats *s = per_cpu_ptr(t->stats, cpu);
		u64 v[MFWD_C_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < MFWD_C_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < MFWD_C_MAX; i++)
			c[i] += v[i];
	}
}

void mfwd_table_stats_read(const struct mfwd_table *t, u64 *c)
{
	memset(c, 0, sizeof(u64) * MFWD_C_MAX);
	mfwd_table_stats_add(t, c);
}

/* The netns's counters. Context: @mn->lock held. */
void mfwd_net_stats_read(struct mfwd_net *mn, u64 *c)
{
	struct mfwd_table *t;
	unsigned long id;

	lockdep_assert_held(&mn->lock);

	memcpy(c, mn->retired, sizeof(mn->retired));
	xa_for_each(&mn->tables, id, t)
		mfwd_table_stats_add(t, c);
}

/* Context: RCU read side or @mn->lock held. */
struct mfwd_table *mfwd_table_find(struct mfwd_net *mn, u32 id)
{
	return xa_load(&mn->tables, id);
}

/* The table of index @idx, which a route or VIF holds. */
struct mfwd_table *mfwd_table_of(struct mfwd_net *mn, u16 idx)
{
	return xa_load(&mn->table_idx, idx);
}

/**
 * mfwd_table_id() - the id of the table of index @idx
 * @mn: netns state
 * @idx: a table index, as in a route's key
 *
 * Context: RCU read side or @mn->lock held, while a route or VIF holds
 * the table.
 * Return: the id.
 */
u32 mfwd_table_id(struct mfwd_net *mn, u16 idx)
{
	const struct mfwd_table *t;

	if (!idx)
		return 0;
	t = mfwd_table_of(mn, idx);
	return t ? t->id : 0;
}

/**
 * mfwd_table_get() - take a reference on table @id, creating it
 * @mn: netns state
 * @id: the table's id
 *
 * Context: @mn->lock held (or netns init).
 * Return: the table, ERR_PTR(-ENOSPC) with 65,536 tables, or -ENOMEM.
 */
struct mfwd_table *mfwd_table_get(struct mfwd_net *mn, u32 id)
{
	struct mfwd_table *t = mfwd_table_find(mn, id);
	int err, cpu;
	u32 idx;

	if (t) {
		t->refs++;
		return t;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->stats = __alloc_percpu_gfp(sizeof(*t->stats),
				      __alignof__(*t->stats),
				      GFP_KERNEL_ACCOUNT);
	if (!t->stats) {
		kfree(t);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(t->stats, cpu)->syncp);
	t->id = id;
	t->refs = 1;
	/* Cyclic: a reader that still holds a removed VIF looks its packet
	 * up by that VIF's index, which no new table should have taken.
	 */
	err = xa_alloc_cyclic(&mn->table_idx, &idx, t,
			      XA_LIMIT(0, MFWD_TABLE_IDX_MAX),
			      &mn->next_table_idx, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto err_free;
	t->idx = idx;
	err = xa_err(xa_store(&mn->tables, id, t, GFP_KERNEL_ACCOUNT));
	if (err)
		goto err_idx;
	return t;

err_idx:
	xa_erase(&mn->table_idx, idx);
err_free:
	mfwd_table_free(t);
	return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
}

void mfwd_table_hold(struct mfwd_table *t)
{
	t->refs++;
}

/* Context: @mn->lock held. Readers may still see the table: freed after
 * them. Its counters go to the netns's; what readers count meanwhile (the
 * packets in flight as its last VIF and route went away) is not kept.
 */
void mfwd_table_put(struct mfwd_net *mn, struct mfwd_table *t)
{
	lockdep_assert_held(&mn->lock);

	if (--t->refs)
		return;
	xa_erase(&mn->tables, t->id);
	xa_erase(&mn->table_idx, t->idx);
	mfwd_table_stats_add(t, mn->retired);
	call_rcu(&t->rcu, mfwd_table_free_rcu);
}
