// SPDX-License-Identifier: GPL-2.0
/*
 * mfwd: the duplicate filter of single-interface VIFs.
 *
 * A radio node forwards a packet back out of the interface it came in on,
 * so its neighbours hear it from several nodes; each copy is the same
 * packet but for the TTL (hop limit) and the IPv4 checksum. The filter
 * keeps a digest of what it saw on the VIF, arriving or sent, and drops
 * what it saw within the window.
 *
 * The digest is a keyed SipHash of the IP header without TTL, hop limit and
 * checksum, and of an xxh64 (seeded per VIF) of the whole payload, read
 * through the skb's pages. Not the payload's Internet checksum: with a
 * valid UDP checksum inside, that sum folds to the same value for every
 * packet of a flow.
 *
 * Memory is fixed: MFWD_DUP_SLOTS words, each the digest's upper bits and
 * the low bits of the jiffies it was seen at, in the slot its lower bits
 * pick. A packet that finds its slot taken by another replaces it: beyond
 * about MFWD_DUP_SLOTS packets a window the filter forgets some, and a
 * copy of those may be forwarded once more (the TTL still bounds it).
 * Slots are read and replaced with cmpxchg, so of two copies of one packet
 * arriving on two CPUs at once only one passes.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/xxhash.h>
#include <net/ip.h>

#include "mfwd.h"

#define MFWD_DUP_BITS	13
#define MFWD_DUP_SLOTS	BIT(MFWD_DUP_BITS)
#define MFWD_DUP_STAMP	((1ULL << 24) - 1)	/* jiffies; windows are far shorter */

/**
 * struct mfwd_dup - the duplicate filter of a VIF
 * @key: of the digest
 * @seed: of the payload's hash
 * @window: how long a packet is remembered, in jiffies
 * @slot: digest and time, or 0 for empty
 */
struct mfwd_dup {
	siphash_key_t key;
	u64 seed;
	unsigned long window;
	u64 slot[MFWD_DUP_SLOTS];
};

int mfwd_dup_init(struct mfwd_vif *vif, u32 window_ms)
{
	struct mfwd_dup *d;

	d = kvzalloc(sizeof(*d), GFP_KERNEL_ACCOUNT);
	if (!d)
		return -ENOMEM;
	get_random_bytes(&d->key, sizeof(d->key));
	d->seed = get_random_u64();
	d->window = clamp(msecs_to_jiffies(window_ms), 1UL,
			  (unsigned long)MFWD_DUP_STAMP / 2);
	vif->dup = d;
	vif->dup_window_ms = window_ms;
	return 0;
}

void mfwd_dup_free(struct mfwd_vif *vif)
{
	kvfree(vif->dup);
}

/* xxh64 of @skb's bytes from @off on, paged data included. */
static u64 mfwd_dup_payload(const struct mfwd_dup *d,
			    const struct sk_buff *skb, unsigned int off)
{
	struct skb_seq_state seq;
	struct xxh64_state st;
	unsigned int n, done = 0;
	const u8 *data;

	xxh64_reset(&st, d->seed);
	skb_prepare_seq_read((struct sk_buff *)skb, off, skb->len, &seq);
	while ((n = skb_seq_read(done, &data, &seq))) {
		xxh64_update(&st, data, n);
		done += n;
	}
	return xxh64_digest(&st);
}

static u64 mfwd_dup_digest(const struct mfwd_dup *d,
			   const struct sk_buff *skb, u8 family)
{
	struct {
		union {
			struct iphdr v4;
			struct ipv6hdr v6;
		};
		u64 payload;
	} __aligned(SIPHASH_ALIGNMENT) buf;
	unsigned int hlen;

	memset(&buf, 0, sizeof(buf));
	if (family == AF_INET6) {
		hlen = sizeof(struct ipv6hdr);
		buf.v6 = *ipv6_hdr(skb);
		buf.v6.hop_limit = 0;
	} else {
		hlen = ip_hdrlen(skb);	/* 20: packets with options pass */
		buf.v4 = *ip_hdr(skb);
		buf.v4.ttl = 0;
		buf.v4.check = 0;
	}
	buf.payload = mfwd_dup_payload(d, skb, skb_network_offset(skb) + hlen);
	return siphash(&buf, sizeof(buf), &d->key);
}

/**
 * mfwd_dup_seen() - whether a VIF saw a packet within its window
 * @vif: a single-interface VIF
 * @skb: the packet, network header at skb->data
 * @family: AF_INET or AF_INET6
 *
 * Remembers the packet if it was not seen.
 *
 * Context: BH disabled, or process context.
 * Return: true if it was seen.
 */
bool mfwd_dup_seen(struct mfwd_vif *vif, const struct sk_buff *skb,
		   u8 family)
{
	struct mfwd_dup *d = vif->dup;
	u64 h = mfwd_dup_digest(d, skb, family);
	u64 *slot = &d->slot[h & (MFWD_DUP_SLOTS - 1)];
	u64 tag = h & ~MFWD_DUP_STAMP;
	u64 now = jiffies & MFWD_DUP_STAMP;
	u64 old = READ_ONCE(*slot), cur;

	for (;;) {
		if (old && (old & ~MFWD_DUP_STAMP) == tag &&
		    ((now - old) & MFWD_DUP_STAMP) < d->window)
			return true;
		cur = cmpxchg64(slot, old, tag | now);
		if (cur == old)
			return false;
		old = cur;
	}
}
