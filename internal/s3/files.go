// Package s3 is the S3 adapter: it keeps export and scheduled-report
// workbooks in the reports bucket, streaming them in (multipart upload),
// tagged for the bucket's lifecycle rules, and handing them out through
// presigned links.
package s3

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"proportal/internal/domain"
)

// Upload sizing: a part is buffered while it is sent, PartConcurrency parts at
// once, so an upload holds at most PartSize × (PartConcurrency + 1) bytes
// whatever the file's size (S3 allows 10,000 parts: files up to 80 GB).
const (
	PartSize        = 8 << 20
	PartConcurrency = 2
)

// Files keeps files in one bucket.
type Files struct {
	client   *s3.Client
	presign  *s3.PresignClient
	uploader *manager.Uploader
	bucket   string
}

var _ domain.FileStore = (*Files)(nil)

// New returns the files of bucket, through client.
func New(client *s3.Client, bucket string) *Files {
	return &Files{
		client:  client,
		presign: s3.NewPresignClient(client),
		uploader: manager.NewUploader(client, func(u *manager.Uploader) {
			u.PartSize, u.Concurrency = PartSize, PartConcurrency
		}),
		bucket: bucket,
	}
}

// FromConfig returns the files of bucket with a client of its own made from
// awsCfg. An explicit endpoint (moto, in local runs and tests) is addressed
// path-style (http://host:port/bucket/key), which needs no DNS per bucket.
func FromConfig(awsCfg aws.Config, bucket string) domain.FileStore {
	return New(s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.UsePathStyle = awsCfg.BaseEndpoint != nil
	}), bucket)
}

// RetentionTag is the object tag the reports bucket's lifecycle rules
// delete files by (template.yaml, ReportsBucket): RetentionExport after 7
// days (domain.ExportKept), RetentionScheduled after ReportRetentionDays.
const (
	RetentionTag       = "retention"
	RetentionExport    = "export"
	RetentionScheduled = "scheduled-report"
)

// RetentionOf is the retention class of the file at key: a scheduled
// report's (domain.Delivery.FileKey, under .../schedules/) or an export's.
func RetentionOf(key string) string {
	if strings.Contains(key, "/schedules/") {
		return RetentionScheduled
	}
	return RetentionExport
}

// Put stores what body yields under key, encrypted at rest, as a multipart
// upload part by part: body is read as it is sent, never whole. The object
// carries its download name too (the presigned link asks for it again), and
// its retention tag (RetentionOf).
func (f *Files) Put(ctx context.Context, key, fileName, contentType string, body io.Reader) error {
	_, err := f.uploader.Upload(ctx, &s3.PutObjectInput{
		Bucket: aws.String(f.bucket), Key: aws.String(key), Body: body,
		ContentType: aws.String(contentType), ContentDisposition: aws.String(attachment(fileName)),
		ServerSideEncryption: types.ServerSideEncryptionAes256,
		Tagging:              aws.String(url.Values{RetentionTag: {RetentionOf(key)}}.Encode()),
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// attachment is the Content-Disposition that saves a download as fileName.
func attachment(fileName string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": fileName})
}

// contentTypeOf is the media type a download of fileName is served as: CSV
// for the imports' result files, a workbook otherwise.
func contentTypeOf(fileName string) string {
	if strings.HasSuffix(strings.ToLower(fileName), ".csv") {
		return domain.CSVContentType
	}
	return domain.XLSXContentType
}

// DownloadURL returns a presigned GET of the file at key that works for ttl
// and makes the browser save it as fileName. It calls nothing: the link is
// signed here.
func (f *Files) DownloadURL(ctx context.Context, key, fileName string, ttl time.Duration) (string, error) {
	req, err := f.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(f.bucket), Key: aws.String(key),
		ResponseContentDisposition: aws.String(attachment(fileName)),
		ResponseContentType:        aws.String(contentTypeOf(fileName)),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return req.URL, nil
}
