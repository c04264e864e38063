package dynamo

import (
	"context"

	"proportal/internal/domain"
)

// FindToken returns the one-time link with a hash.
func (s *Store) FindToken(ctx context.Context, hash string) (domain.OneTimeToken, error) {
	var it tokenItem
	if err := s.get(ctx, tokenKey(hash), &it, "link"); err != nil {
		return domain.OneTimeToken{}, err
	}
	return it.toDomain(hash), nil
}
