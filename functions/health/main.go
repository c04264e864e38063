// Command health is the Lambda function of GET /api/health.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("Health", nil); err != nil {
		log.Fatal(err)
	}
}
