package httpapi

import (
	"context"
	"net/http"

	"proportal/internal/domain"
)

// DownloadReport answers POST /api/report-downloads: the download page of a
// mailed report link posts the link's token (kept in the URL's fragment, so
// it is in no logged URL) and navigates to the fresh presigned URL it gets.
var DownloadReport = Action{"DownloadReport", downloadReport}

type reportDownloadJSON struct {
	// URL fetches the workbook (from S3, another origin) for 15 minutes.
	URL string `json:"url"`
}

func downloadReport(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in struct {
			Token string `json:"token"`
		}
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		if in.Token == "" {
			return response{}, domain.Problems{"token": "Open the link from the mail: it carries the token."}.Err()
		}
		url, err := s.Deliveries.Download(ctx, in.Token)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: reportDownloadJSON{URL: url}}, nil
	}
}
