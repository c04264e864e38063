// Command get-export is the Lambda function of GET /api/exports/{exportId}:
// an export's progress and, once done, a presigned download link (S3).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/s3"
)

func main() {
	if err := app.RunLambdaWithFiles(httpapi.GetExport, s3.FromConfig); err != nil {
		log.Fatal(err)
	}
}
