-- Voucher listings are keyset pages in (expires_on, voucher_id) order within a scope or a
-- status; each index ends with both columns so that a page is one index range however deep.
CREATE INDEX vouchers_listing ON vouchers (expires_on, voucher_id);
CREATE INDEX vouchers_listing_by_customer ON vouchers (customer_organization_id, expires_on, voucher_id);
CREATE INDEX vouchers_listing_by_partner ON vouchers (partner_organization_id, expires_on, voucher_id);
CREATE INDEX vouchers_listing_by_assignee ON vouchers (assignee_email, expires_on, voucher_id);
CREATE INDEX vouchers_listing_by_status ON vouchers (status, expires_on, voucher_id);
CREATE INDEX vouchers_listing_by_offering ON vouchers (offering, expires_on, voucher_id);
-- Prefixes of the new ones: no longer needed.
DROP INDEX vouchers_by_assignee;
DROP INDEX vouchers_by_status_expiry;
