// Command list-catalog is the Lambda function of GET /api/catalog.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListCatalog, nil); err != nil {
		log.Fatal(err)
	}
}
