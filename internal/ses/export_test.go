package ses

import "proportal/internal/domain"

// Compose exposes the MIME composition to the tests.
func Compose(m *Mailer, msg domain.Mail) ([]byte, error) { return m.compose(msg) }
