// Command list-modules is the Lambda function of GET /api/modules.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListModules, nil); err != nil {
		log.Fatal(err)
	}
}
