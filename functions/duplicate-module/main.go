// Command duplicate-module is the Lambda function of POST /api/modules/{moduleId}/duplicate.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.DuplicateModule, nil); err != nil {
		log.Fatal(err)
	}
}
