// Command get-me is the Lambda function of GET /api/me.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GetMe", nil); err != nil {
		log.Fatal(err)
	}
}
