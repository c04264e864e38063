// Command health is the Lambda function of GET /api/health.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.Health, nil); err != nil {
		log.Fatal(err)
	}
}
