// Command create-import is the Lambda function of POST /api/imports: it
// reads a CSV upload and stores its dry run (nothing else changes).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.CreateImport, nil); err != nil {
		log.Fatal(err)
	}
}
