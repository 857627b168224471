console.log('orders domain');
