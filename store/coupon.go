package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"shequ/app/model"
)

// AddMerchant adds a merchant to an area; a name the area has is a
// conflict.
func (s *Store) AddMerchant(ctx context.Context, note AuditNote, accountID int64, m model.Merchant) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO merchant(uid, area_id, name, category, place, contact, phone, account_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), m.AreaID, m.Name, m.Category, m.Place, m.Contact, m.Phone, accountID, now())
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		w.note(id, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add merchant %s: %w", m.Name, mapErr(err))
	}
	return id, nil
}

// Merchants lists the merchants of some areas (all: every area), by name.
func (s *Store) Merchants(ctx context.Context, areas []int64, all bool) ([]model.Merchant, error) {
	where, args := "1", []any(nil)
	if !all {
		list, a := inList(areas)
		where, args = "area_id IN "+list, a
	}
	rows, err := s.r.QueryContext(ctx, "SELECT id, area_id, name, category, place, contact, phone FROM merchant WHERE "+where+" ORDER BY name", args...)
	if err != nil {
		return nil, fmt.Errorf("store: merchants: %w", err)
	}
	defer rows.Close()
	var out []model.Merchant
	for rows.Next() {
		var m model.Merchant
		if err := rows.Scan(&m.ID, &m.AreaID, &m.Name, &m.Category, &m.Place, &m.Contact, &m.Phone); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddBatch adds a merchant's coupon batch.
func (s *Store) AddBatch(ctx context.Context, note AuditNote, accountID int64, b model.CouponBatch) (int64, error) {
	var id int64
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO coupon_batch(uid, merchant_id, name, value, valid_from, valid_to, quota, per_resident,
			account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newUID(), b.MerchantID, b.Name, b.Value, b.ValidFrom, b.ValidTo, b.Quota,
			b.PerResident, accountID, now())
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		w.note(id, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: add coupon batch %s: %w", b.Name, mapErr(err))
	}
	return id, nil
}

// batchCols are a batch's columns with its merchant's name and the coupons
// issued but not redeemed by a day past its validity (the first argument:
// today).
const batchCols = `b.id, b.merchant_id, m.name, b.name, b.value, b.valid_from, b.valid_to, b.quota, b.per_resident, b.issued, b.redeemed,
	CASE WHEN b.valid_to < ? THEN b.issued - b.redeemed ELSE 0 END`

const batchFrom = " FROM coupon_batch b JOIN merchant m ON m.id = b.merchant_id"

func scanBatch(sc interface{ Scan(...any) error }, b *model.CouponBatch) error {
	return sc.Scan(&b.ID, &b.MerchantID, &b.Merchant, &b.Name, &b.Value, &b.ValidFrom, &b.ValidTo, &b.Quota, &b.PerResident, &b.Issued,
		&b.Redeemed, &b.Expired)
}

// Batches lists the batches of some merchants, newest validity first;
// today decides which are expired.
func (s *Store) Batches(ctx context.Context, merchants []int64, today string) ([]model.CouponBatch, error) {
	list, args := inList(merchants)
	rows, err := s.r.QueryContext(ctx, "SELECT "+batchCols+batchFrom+" WHERE b.merchant_id IN "+list+" ORDER BY b.valid_to DESC, b.id DESC",
		append([]any{today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: coupon batches: %w", err)
	}
	defer rows.Close()
	var out []model.CouponBatch
	for rows.Next() {
		var b model.CouponBatch
		if err := scanBatch(rows, &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Batch reads one batch.
func (s *Store) Batch(ctx context.Context, id int64, today string) (model.CouponBatch, error) {
	var b model.CouponBatch
	err := scanBatch(s.r.QueryRowContext(ctx, "SELECT "+batchCols+batchFrom+" WHERE b.id = ?", today, id), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("store: coupon batch %d: %w", id, model.ErrNotFound)
	}
	return b, err
}

// QuotaError is an issue refused for the batch's quota: how many would
// get a coupon, and how many are left.
type QuotaError struct{ Want, Left int }

func (e *QuotaError) Error() string { return fmt.Sprintf("%d coupons wanted, %d left", e.Want, e.Left) }

func (e *QuotaError) Unwrap() error { return model.ErrConflict }

// Issue gives a coupon of a batch to each resident still under the quota
// per resident, with a code from code(); all or nothing: past the batch's
// total quota it issues none (a *QuotaError). It returns how many were
// issued and how many residents had their quota already.
func (s *Store) Issue(ctx context.Context, note AuditNote, accountID, batch int64, residents []int64, code func() string) (issued, full int, err error) {
	err = s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		issued, full = 0, 0
		var quota, per, done int
		if err := tx.QueryRowContext(ctx, "SELECT quota, per_resident, issued FROM coupon_batch WHERE id = ?", batch).Scan(&quota, &per, &done); err != nil {
			return err
		}
		count, err := tx.PrepareContext(ctx, "SELECT count(*) FROM coupon WHERE batch_id = ? AND resident_id = ?")
		if err != nil {
			return err
		}
		defer count.Close()
		ins, err := tx.PrepareContext(ctx, "INSERT INTO coupon(batch_id, resident_id, code, issued, account_id) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer ins.Close()
		at := now()
		for _, r := range residents {
			var has int
			if err := count.QueryRowContext(ctx, batch, r).Scan(&has); err != nil {
				return err
			}
			if has >= per {
				full++
				continue
			}
			if done+issued >= quota {
				issued++ // counted on, to say how many were wanted
				continue
			}
			for try := 0; ; try++ {
				_, err := ins.ExecContext(ctx, batch, r, code(), at, accountID)
				if err == nil {
					break
				}
				if try > 3 || !errors.Is(mapErr(err), model.ErrConflict) { // a code drawn twice is drawn again
					return err
				}
			}
			issued++
		}
		if done+issued > quota {
			return &QuotaError{Want: issued, Left: quota - done}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE coupon_batch SET issued = issued + ? WHERE id = ?", issued, batch); err != nil {
			return err
		}
		w.note(batch, []string{"issued"})
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: issue coupons of batch %d: %w", batch, mapErr(err))
	}
	return issued, full, nil
}

// CouponByCode reads a coupon with its resident and its batch (today
// decides expiry).
func (s *Store) CouponByCode(ctx context.Context, code, today string) (CouponRow, model.CouponBatch, error) {
	var c CouponRow
	var b model.CouponBatch
	err := s.r.QueryRowContext(ctx, `SELECT c.id, c.batch_id, c.resident_id, c.code, c.issued, c.redeemed, r.name, r.id_number, r.phone, r.grid_id
		FROM coupon c JOIN resident r ON r.id = c.resident_id WHERE c.code = ?`, code).
		Scan(&c.ID, &c.BatchID, &c.ResidentID, &c.Code, &c.Issued, &c.Redeemed, &c.Name, &c.IDNumber, &c.Phone, &c.Grid)
	if errors.Is(err, sql.ErrNoRows) {
		return c, b, fmt.Errorf("store: coupon %s: %w", code, model.ErrNotFound)
	}
	if err != nil {
		return c, b, err
	}
	b, err = s.Batch(ctx, c.BatchID, today)
	return c, b, err
}

// Redeem marks a coupon used, once: one redeemed before is a conflict.
func (s *Store) Redeem(ctx context.Context, note AuditNote, id int64) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		var batch int64
		err := tx.QueryRowContext(ctx, "UPDATE coupon SET redeemed = ? WHERE id = ? AND redeemed = '' RETURNING batch_id", now(), id).Scan(&batch)
		if errors.Is(err, sql.ErrNoRows) {
			return model.ErrConflict
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE coupon_batch SET redeemed = redeemed + 1 WHERE id = ?", batch); err != nil {
			return err
		}
		w.note(id, []string{"redeemed"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: redeem coupon %d: %w", id, mapErr(err))
	}
	return nil
}

// CouponRow is a coupon issued, with its resident, for the batch's list.
type CouponRow struct {
	model.Coupon
	Name, IDNumber, Phone string
	Grid                  int64
}

// EachCoupon streams a batch's coupons in the order issued.
func (s *Store) EachCoupon(ctx context.Context, batch int64, fn func(*CouponRow) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.batch_id, c.resident_id, c.code, c.issued, c.redeemed, r.name, r.id_number, r.phone, r.grid_id
		FROM coupon c JOIN resident r ON r.id = c.resident_id WHERE c.batch_id = ? ORDER BY c.id`, batch)
	if err != nil {
		return fmt.Errorf("store: coupons of batch %d: %w", batch, err)
	}
	defer rows.Close()
	var c CouponRow
	for rows.Next() {
		if err := rows.Scan(&c.ID, &c.BatchID, &c.ResidentID, &c.Code, &c.Issued, &c.Redeemed, &c.Name, &c.IDNumber, &c.Phone, &c.Grid); err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SetBatchLimits changes a batch's total quota and last valid day; a quota
// below what was issued fails the batch's CHECK.
func (s *Store) SetBatchLimits(ctx context.Context, note AuditNote, id int64, quota int, validTo string) error {
	err := s.txAudited(ctx, note, func(tx *sql.Tx, w *written) error {
		res, err := tx.ExecContext(ctx, "UPDATE coupon_batch SET quota = ?, valid_to = ? WHERE id = ?", quota, validTo, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.ErrNotFound
		}
		w.note(id, []string{"quota", "valid_to"})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: coupon batch %d: %w", id, mapErr(err))
	}
	return nil
}
