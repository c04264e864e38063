// Command fallback is the Lambda function of every request no other route takes ($default).
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("Fallback", nil); err != nil {
		log.Fatal(err)
	}
}
