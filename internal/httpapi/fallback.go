package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"proportal/internal/domain"
)

// Fallback answers every request no other route takes ($default).
var Fallback = Action{"Fallback", fallback}

// fallback answers requests no route takes, as JSON: 405 with Allow for a known
// path, 404 otherwise.
func fallback(*Services) endpoint {
	return func(_ context.Context, r *request) (response, error) {
		_, _, status, allowed := Match(r.event.RequestContext.HTTP.Method, r.event.RequestContext.HTTP.Path)
		if status == http.StatusMethodNotAllowed {
			res := errorResponse(domain.Errorf(domain.CodeMethodNotAllowed,
				"%s is not allowed here; use %s.", r.event.RequestContext.HTTP.Method, strings.Join(allowed, " or ")))
			res.headers = map[string]string{"Allow": strings.Join(allowed, ", ")}
			return res, nil
		}
		return response{}, domain.Errorf(domain.CodeNotFound, "There is no %s.", fmt.Sprintf("%q", r.event.RequestContext.HTTP.Path))
	}
}
