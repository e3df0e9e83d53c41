package model

// Merchant is a shop that takes the district's coupons (商户).
type Merchant struct {
	ID       int64
	AreaID   int64
	Name     string
	Category string
	Place    string
	Contact  string
	Phone    string
}

// CouponBatch is a merchant's batch of coupons: a value, a validity, a
// total quota and a quota per resident.
type CouponBatch struct {
	ID          int64
	MerchantID  int64
	Merchant    string
	Name        string
	Value       int    // fen
	ValidFrom   string // YYYY-MM-DD
	ValidTo     string // inclusive
	Quota       int
	PerResident int
	Issued      int
	Redeemed    int
	Expired     int // issued, not redeemed, past ValidTo (for statistics)
}

// Coupon is one coupon issued to a resident, redeemed once by its code.
type Coupon struct {
	ID         int64
	BatchID    int64
	ResidentID int64
	Code       string
	Issued     string
	Redeemed   string
}
