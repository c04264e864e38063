package dynamo

// SetExpiryPageSize makes DeleteExpired read n entries a Query, so that a
// test sees it page without writing a megabyte of items.
func SetExpiryPageSize(s *Store, n int32) { s.expiryPageSize = n }
