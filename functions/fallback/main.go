// Command fallback is the Lambda function of every request no other route takes ($default).
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.Fallback, nil); err != nil {
		log.Fatal(err)
	}
}
