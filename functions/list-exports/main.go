// Command list-exports is the Lambda function of GET /api/exports.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListExports, nil); err != nil {
		log.Fatal(err)
	}
}
