// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: tables. A netns has several: each VIF is in one, and a packet is
 * looked up among the routes of its input VIF's table.
 *
 * A table is named by a u32 id (a VRF's FIB table, or one the controller
 * picks) and exists while a VIF or a route uses it; table 0 always exists.
 * Routes are keyed by a small index of their table instead of its id
 * (struct mfwd_key.table), which keeps the IPv4 key at 12 bytes.
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
	return 0;
}

/* Context: every VIF and route gone, after an RCU barrier. */
void mfwd_tables_destroy(struct mfwd_net *mn)
{
	struct mfwd_table *t = xa_load(&mn->tables, 0);

	if (t)
		mfwd_table_put(mn, t);
	WARN_ON(!xa_empty(&mn->tables));
	xa_destroy(&mn->tables);
	xa_destroy(&mn->table_idx);
}

/* Context: RCU read side or @mn->lock held. */
struct mfwd_table *mfwd_table_find(struct mfwd_net *mn, u32 id)
{
	return xa_load(&mn->tables, id);
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
	t = xa_load(&mn->table_idx, idx);
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
	u32 idx;
	int err;

	if (t) {
		t->refs++;
		return t;
	}
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return ERR_PTR(-ENOMEM);
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
	kfree(t);
	return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
}

void mfwd_table_hold(struct mfwd_table *t)
{
	t->refs++;
}

/* Context: @mn->lock held. Readers may still see the table: freed after
 * them.
 */
void mfwd_table_put(struct mfwd_net *mn, struct mfwd_table *t)
{
	if (--t->refs)
		return;
	xa_erase(&mn->tables, t->id);
	xa_erase(&mn->table_idx, t->idx);
	kfree_rcu(t, rcu);
}
