package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Download tokens: a mailed report link names one delivery's file and works
// until an expiry, without a session (its recipients may have no account).
// The token is base64url(payload) "." base64url(HMAC-SHA256(key, payload)),
// the payload "{org}.{schedule}.{delivery}.{expiry, unix seconds}". Nothing
// is stored: the signature proves the portal made it, the expiry is in what
// is signed, and the delivery is read from the organization it names, so a
// token cannot reach another organization's file (docs/decisions.md,
// "Scheduled reports").

// downloadTokenContext separates these signatures from any other use of the key.
const downloadTokenContext = "proportal report download\x00"

// DownloadTokens signs and checks download tokens with one key
// (DOWNLOAD_SECRET; every function that makes or checks links shares it).
type DownloadTokens struct {
	key []byte
}

// NewDownloadTokens returns the tokens signed with key.
func NewDownloadTokens(key []byte) DownloadTokens { return DownloadTokens{key: key} }

// Sign returns the token of a delivery's file, working until expires.
func (k DownloadTokens) Sign(ref DeliveryRef, expires time.Time) string {
	payload := ref.OrgID + "." + ref.ScheduleID + "." + ref.DeliveryID + "." + strconv.FormatInt(expires.Unix(), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(k.mac(payload))
}

// Check returns the delivery a token names: not_found when it was not made
// with this key (tampered, truncated, or not a token at all), token_expired
// once its expiry has passed at now.
func (k DownloadTokens) Check(token string, now time.Time) (DeliveryRef, error) {
	notFound := NotFound("report")
	encoded, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 512 || len(k.key) == 0 {
		return DeliveryRef{}, notFound
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(encoded)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, k.mac(string(payload))) {
		return DeliveryRef{}, notFound
	}
	parts := strings.Split(string(payload), ".")
	if len(parts) != 4 || !ValidID(parts[0]) || !ValidID(parts[1]) || !ValidID(parts[2]) {
		return DeliveryRef{}, notFound
	}
	expires, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil {
		return DeliveryRef{}, notFound
	}
	if !now.Before(time.Unix(expires, 0)) {
		return DeliveryRef{}, Errorf(CodeTokenExpired, "This download link has expired. Ask for the report to be sent again.")
	}
	return DeliveryRef{OrgID: parts[0], ScheduleID: parts[1], DeliveryID: parts[2]}, nil
}

func (k DownloadTokens) mac(payload string) []byte {
	h := hmac.New(sha256.New, k.key)
	h.Write([]byte(downloadTokenContext))
	h.Write([]byte(payload))
	return h.Sum(nil)
}
