// Command get-import is the Lambda function of GET /api/imports/{importId}:
// an import's dry run, a page of its rows, its progress and, once done, a
// presigned link to its result file (S3).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/s3"
)

func main() {
	if err := app.RunLambdaWithFiles(httpapi.GetImport, s3.FromConfig); err != nil {
		log.Fatal(err)
	}
}
