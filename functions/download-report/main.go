// Command download-report is the Lambda function of POST
// /api/report-downloads: a mailed report link's signed token in, a fresh
// presigned download link (S3) out.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/s3"
)

func main() {
	if err := app.RunLambdaWithFiles(httpapi.DownloadReport, s3.FromConfig); err != nil {
		log.Fatal(err)
	}
}
